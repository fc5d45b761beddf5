namespace Driftvy.Domain.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void DomainAssembly_IsLoadable() => Assert.NotNull(typeof(DomainAssembly).Assembly);
}
