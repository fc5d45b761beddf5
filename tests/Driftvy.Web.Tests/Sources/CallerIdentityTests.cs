using Driftvy.Web.Privacy;

namespace Driftvy.Web.Tests.Sources;

public sealed class CallerIdentityTests
{
    [Theory]
    [InlineData("+46 70 123 45 67", "070-*** ** 67")]
    [InlineData("08-508 000 00", "085-*** ** 00")]
    [InlineData("12", "**")]
    public void Mask_Number_KeepsPrefixAndLastTwoDigits(string number, string masked) =>
        Assert.Equal(masked, CallerIdentity.Mask(number));

    [Fact]
    public void Hash_SameNumberDifferentFormatting_SameHashButNotTheNumber()
    {
        var identity = new CallerIdentity("secret-key"u8.ToArray());

        var a = identity.Hash("+46 70 123 45 67");
        var b = identity.Hash("+46701234567");

        Assert.Equal(a, b);
        Assert.DoesNotContain("1234567", a, StringComparison.Ordinal);
        Assert.NotEqual(a, new CallerIdentity("other-key"u8.ToArray()).Hash("+46701234567"));
    }
}
