using Driftvy.Web.Aggregates;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Tests.Aggregates;

public sealed class InProcessAggregateStoreTests : AggregateStoreContract
{
    protected override Task<IAggregateStore> CreateStoreAsync() =>
        Task.FromResult<IAggregateStore>(new InProcessAggregateStore(Options.Create(new AggregateOptions()), new FakeTimeProvider(Morning)));
}
