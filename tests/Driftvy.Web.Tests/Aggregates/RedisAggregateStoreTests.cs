using Driftvy.Web.Aggregates;
using Driftvy.Web.Aggregates.Redis;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Tests.Aggregates;

/// <summary>The aggregate contract against a real redis-server; each test gets its own key prefix.</summary>
public sealed class RedisAggregateStoreTests(RedisServer redis) : AggregateStoreContract, IClassFixture<RedisServer>, IDisposable
{
    private StackExchange.Redis.ConnectionMultiplexer? _connection;
    private string _prefix = string.Empty;

    protected override Task<IAggregateStore> CreateStoreAsync() => CreateStoreAsync(new AggregateOptions().OperationTimeout);

    private Task<IAggregateStore> CreateStoreAsync(TimeSpan operationTimeout)
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        _prefix = $"test:{Guid.NewGuid():N}:";
        var options = new AggregateOptions { KeyPrefix = _prefix, OperationTimeout = operationTimeout };
        _connection?.Dispose();
        _connection = RedisMultiplexer.Connect(redis.ConnectionString, options);
        return Task.FromResult<IAggregateStore>(new RedisAggregateStore(_connection, Options.Create(options), new FakeTimeProvider(Morning)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadQueriesAsync_WhileFoldsLand_EveryReadIsOfOneMoment(bool projected)
    {
        // Projected reads are one script call; whole hashes are fetched after it (see the store).
        IReadOnlyList<int>? thresholds = projected ? [60] : null;
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var today = DateOnly.FromDateTime(Morning.DateTime);
        var day = BucketKey.For("kc", Granularity.Day, Morning);
        var random = new Random(5);
        await store.ApplyAsync(new AggregateBatch([Contact(1, Morning)], []), ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = Task.Run(
            async () =>
            {
                for (var seq = 2L; seq <= 400; seq++)
                {
                    await store.ApplyAsync(new AggregateBatch([Contact(seq, Morning.AddMinutes(random.Next(0, 180)))], []), ct);
                }
            },
            ct);

        var reads = 0;
        IReadOnlyDictionary<DateTimeOffset, long>? known = null;
        Dictionary<DateTimeOffset, long> held = [];
        while (!writer.IsCompleted || reads < 20)
        {
            // The day tally and the chart (only the quarters that moved since the last read) from one read.
            var read = await store.ReadQueriesAsync([new TallyQuery([day]) { Thresholds = thresholds }], [new QuarterQuery("kc", today) { Known = known, Thresholds = thresholds }], ct);
            var chart = read.Charts[0]!;
            Assert.Equal(read.Tallies[0]!.Offered, chart.DayOffered);
            foreach (var (start, tally) in chart.Tallies)
            {
                Assert.Equal(chart.Offered[start], tally.Offered);
                held[start] = tally.Offered;
            }

            Assert.Equal(chart.Offered, held);
            known = chart.Offered;
            reads++;
        }

        await writer;
        Assert.Equal(400, (await store.ReadQueriesAsync([], [new QuarterQuery("kc", today) { CountsOnly = true }], ct)).Charts[0]!.DayOffered);
    }

    [Fact]
    public async Task ApplyAsync_RedisPausedBeyondTheTimeout_FailsWithTheLibrarysTimeoutWithoutWaitingForRedis()
    {
        var store = await CreateStoreAsync(TimeSpan.FromSeconds(0.5));
        var ct = TestContext.Current.CancellationToken;
        await store.ApplyAsync(new AggregateBatch([Contact(1, Morning)], []), ct);
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var server = admin.GetServers()[0];

        // Redis holds every client's commands for 3 s; this store's calls are bounded at 0.5 s. A call that waited for
        // Redis would succeed once the pause ends; one bounded by the library's own timeout fails first.
        await server.ExecuteAsync("CLIENT", "PAUSE", "3000", "ALL");
        await Assert.ThrowsAsync<StackExchange.Redis.RedisTimeoutException>(() => store.ApplyAsync(new AggregateBatch([Contact(2, Morning)], []), ct));
        await admin.GetDatabase().PingAsync();

        // Once Redis answers, the same batch folds (the timed-out call may or may not have run: either way it counts once).
        await store.ApplyAsync(new AggregateBatch([Contact(2, Morning)], []), ct);
        Assert.Equal(2, await store.ReadWatermarkAsync(ct));
        Assert.Equal(2, (await store.ReadTalliesAsync([BucketKey.For("kc", Granularity.Day, Morning)], ct))[0].Offered);
    }

    [Fact]
    public async Task ClearAsync_KeysOverSeveralScanPages_DeletesAllOfItsPrefixAndNothingElse()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var db = _connection!.GetDatabase();
        // 2 500 of its own keys (three SCAN pages) beside a neighbour's key under another prefix.
        var own = Enumerable.Range(0, 2500).Select(i => (StackExchange.Redis.RedisKey)$"{_prefix}t:kc:m:{i}").ToArray();
        await Task.WhenAll(own.Select(k => db.StringSetAsync(k, 1)));
        var neighbour = (StackExchange.Redis.RedisKey)$"other:{Guid.NewGuid():N}:watermark";
        await db.StringSetAsync(neighbour, 7);

        await store.ClearAsync(ct);

        Assert.Equal(0, (await Task.WhenAll(own.Select(k => db.KeyExistsAsync(k)))).Count(e => e));
        Assert.Equal(7, (long)await db.StringGetAsync(neighbour));
        Assert.Equal(0, await store.ReadWatermarkAsync(ct));
        await db.KeyDeleteAsync(neighbour);
    }

    private static Driftvy.Web.Storage.StoredContact Contact(long seq, DateTimeOffset offered) =>
        new(seq, new Driftvy.Domain.Contacts.ContactRecord($"r{seq}", Driftvy.Domain.Contacts.Channel.Phone, "kc", offered, offered.AddSeconds(seq % 120), null, offered.AddSeconds(300), null));

    public void Dispose() => _connection?.Dispose();
}
