using Driftvy.Web.Aggregates;
using Driftvy.Web.Aggregates.Redis;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.Time.Testing;
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

    private static Driftvy.Web.Storage.StoredContact Contact(long seq, DateTimeOffset offered) =>
        new(seq, new Driftvy.Domain.Contacts.ContactRecord($"r{seq}", Driftvy.Domain.Contacts.Channel.Phone, "kc", offered, offered.AddSeconds(seq % 120), null, offered.AddSeconds(300), null));

    public void Dispose() => _connection?.Dispose();
}
