using Driftvy.Web.Aggregates;
using Driftvy.Web.Aggregates.Redis;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Tests.Aggregates;

/// <summary>The aggregate contract against a real redis-server; each test gets its own key prefix.</summary>
public sealed class RedisAggregateStoreTests(RedisServer redis) : AggregateStoreContract, IClassFixture<RedisServer>, IDisposable
{
    private RedisConnection? _connection;

    protected override Task<IAggregateStore> CreateStoreAsync()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        _connection = new RedisConnection(redis.ConnectionString);
        var options = new AggregateOptions { KeyPrefix = $"test:{Guid.NewGuid():N}:" };
        return Task.FromResult<IAggregateStore>(new RedisAggregateStore(_connection, Options.Create(options), new FakeTimeProvider(Morning)));
    }

    public void Dispose() => _connection?.Dispose();
}
