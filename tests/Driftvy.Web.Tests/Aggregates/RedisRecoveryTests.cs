using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Tests.Aggregates;

/// <summary>
/// The whole host against a real redis-server that is flushed, killed and restarted under it: the
/// aggregates must come back equal to a fold of the stored facts, with nothing lost or counted twice.
/// The tests of this class share one server and run one after another (they flush and kill it).
/// </summary>
public sealed class RedisRecoveryTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 3, 12, 0, 0, TimeSpan.FromHours(1));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DriftvyAppFactory CreateApp(FakeTimeProvider time) => new(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Redis"] = redis.ConnectionString,
        ["Aggregates:KeyPrefix"] = $"recovery:{Guid.NewGuid():N}:",
        ["Aggregates:CheckInterval"] = "00:00:00.2",
        ["Aggregates:OperationTimeout"] = "00:00:02",
    }, time);

    [Fact]
    public async Task Flush_WhileRunning_IsDetectedAndRebuiltToEqualFigures()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        var time = new FakeTimeProvider(Noon);
        await using var app = CreateApp(time);
        _ = app.Server;
        var polls = app.Services.GetRequiredService<TelephonyPollService>();
        await polls.PollOnceAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(3));
        await polls.PollOnceAsync(Ct);
        var at = time.GetUtcNow();
        var before = await ReadAllAsync(app, at);

        await FlushAsync();

        // The store's periodic check (every 0.2 s on the host's clock) notices the lost watermark and rebuilds.
        Assert.True(await time.AdvanceUntilAsync(TimeSpan.FromSeconds(0.2), () => InStepAsync(app), TimeSpan.FromSeconds(30), Ct), "the flush was not detected and rebuilt");
        // Read as of the instant before the flush: the clock moved on while the check ran.
        var after = await ReadAllAsync(app, at);
        AssertSame(before, after);
        AssertSame(await FoldFactsAsync(app, at), after);
    }

    [Fact]
    public async Task MonthlyReport_RedisFlushedAndRebuilt_GivesTheSameFigures()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        var time = new FakeTimeProvider(Noon);
        await using var app = CreateApp(time);
        using var client = app.CreateClient();
        var polls = app.Services.GetRequiredService<TelephonyPollService>();
        await polls.PollOnceAsync(Ct);
        var before = Figures(await client.GetStringAsync("/api/reports/monthly/2026/3?format=json", Ct));

        await FlushAsync();
        Assert.True(await time.AdvanceUntilAsync(TimeSpan.FromSeconds(0.2), () => InStepAsync(app), TimeSpan.FromSeconds(30), Ct), "the flush was not detected and rebuilt");
        var after = Figures(await client.GetStringAsync("/api/reports/monthly/2026/3?format=json", Ct));

        // Reports read the durable tallies, so the hot store's loss cannot move them.
        Assert.Contains(before, f => f.Contains("kc_answered_within_1_min", StringComparison.Ordinal) && !f.EndsWith('='));
        Assert.Equal(before, after);

        static List<string> Figures(string json) => [.. Driftvy.Web.Reports.Export.JsonReportWriter.Deserialize(json).Divisions
            .SelectMany(d => d.Rows.Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d.Id} {r.KpiId} {r.Numerator}/{r.Denominator}={r.Value}")))];
    }

    [Fact]
    public async Task RebuildEndpoint_AfterIncrementalPolls_GivesTheSameFigures()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        var time = new FakeTimeProvider(Noon);
        await using var app = CreateApp(time);
        using var client = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.Admin);
        var polls = app.Services.GetRequiredService<TelephonyPollService>();
        for (var i = 0; i < 4; i++)
        {
            await polls.PollOnceAsync(Ct);
            time.Advance(TimeSpan.FromMinutes(2));
        }

        var incremental = await ReadAllAsync(app, time.GetUtcNow());

        using var response = await client.PostAsync("/api/admin/aggregates/rebuild", null, Ct);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.True(response.IsSuccessStatusCode);
        Assert.True(result.GetProperty("folded").GetInt64() > 0);
        AssertSame(incremental, await ReadAllAsync(app, time.GetUtcNow()));
    }

    [Fact]
    public async Task RedisKilledMidIngest_FactsKeepComing_ExactCountsAfterRestart()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        var time = new FakeTimeProvider(Noon);
        await using var app = CreateApp(time);
        using var client = app.CreateClient();
        var polls = app.Services.GetRequiredService<TelephonyPollService>();
        var facts = app.Services.GetRequiredService<IContactFactStore>();
        await polls.PollOnceAsync(Ct);
        var before = await facts.MaxSeqAsync(Ct);

        await redis.StopAsync();
        var addedDuringOutage = 0;
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromMinutes(5));
            addedDuringOutage += await polls.PollOnceAsync(Ct);
        }

        using var duringResponse = await client.GetAsync("/health", Ct);
        var during = await duringResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(addedDuringOutage > 0, "the simulator produced contacts during the outage");
        Assert.True(await facts.MaxSeqAsync(Ct) > before, "facts are still stored while Redis is down");
        Assert.Equal(503, (int)duringResponse.StatusCode);
        Assert.Equal("behind", ReadState(during));
        Assert.False(during.GetProperty("redis").GetProperty("reachable").GetBoolean());

        await redis.StartAsync();
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await time.AdvanceUntilAsync(TimeSpan.FromSeconds(0.2), () => InStepAsync(app), TimeSpan.FromSeconds(30), Ct), "the aggregates did not catch up after Redis came back");
        await polls.PollOnceAsync(Ct);

        AssertSame(await FoldFactsAsync(app, time.GetUtcNow()), await ReadAllAsync(app, time.GetUtcNow()));
        var health = await client.GetFromJsonAsync<JsonElement>("/health", Ct);
        Assert.Equal("ready", ReadState(health));
        Assert.Equal(0, health.GetProperty("aggregates").GetProperty("lagContacts").GetInt64());
    }

    [Fact]
    public async Task StoreWrittenByAnEarlierLayout_IsRebuiltAtCatchUp_WithItsQuarterIndex()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        var time = new FakeTimeProvider(Noon);
        await using var app = CreateApp(time);
        var polls = app.Services.GetRequiredService<TelephonyPollService>();
        await polls.PollOnceAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(20));
        await polls.PollOnceAsync(Ct);
        var store = app.Services.GetRequiredService<IAggregateStore>();
        var charts = DayKeys(app, time.GetUtcNow()).Select(k => k.Queue).Distinct()
            .Select(q => new QuarterQuery(q, Driftvy.Domain.Calendar.StockholmTime.LocalDate(time.GetUtcNow())) { Thresholds = [60] }).ToList();
        var before = (await store.ReadQueriesAsync([], charts, Ct)).Charts;
        Assert.Contains(before, c => c!.DayOffered > 0);

        // What an earlier version left: the same tallies and watermark, but no layout mark and no quarter index.
        var prefix = app.Services.GetRequiredService<IOptions<AggregateOptions>>().Value.KeyPrefix;
        await using (var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            var old = await connection.GetServers()[0].KeysAsync(pattern: prefix + "*", pageSize: 1000)
                .Where(k => ((string)k!).StartsWith(prefix + "qi:", StringComparison.Ordinal) || (string)k! == prefix + "layout").ToArrayAsync(Ct);
            Assert.NotEmpty(old);
            await connection.GetDatabase().KeyDeleteAsync(old);
        }

        Assert.True(await store.IsOutdatedAsync(Ct));
        Assert.All((await store.ReadQueriesAsync([], charts, Ct)).Charts, c => Assert.Equal(0, c!.DayOffered));

        var folded = await app.Services.GetRequiredService<AggregateCatchUp>().CatchUpAsync(Ct);

        Assert.True(folded > 0, "the store was refolded from the facts");
        Assert.False(await store.IsOutdatedAsync(Ct));
        var after = (await store.ReadQueriesAsync([], charts, Ct)).Charts;
        for (var c = 0; c < charts.Count; c++)
        {
            Assert.Equal(before[c]!.Offered, after[c]!.Offered);
            Assert.Equal(before[c]!.Tallies.Keys.Order(), after[c]!.Tallies.Keys.Order());
            Assert.All(before[c]!.Tallies, q => Assert.Equal(q.Value.AnsweredWaits, after[c]!.Tallies[q.Key].AnsweredWaits));
        }

        AssertSame(await FoldFactsAsync(app, time.GetUtcNow()), await ReadAllAsync(app, time.GetUtcNow()));
    }

    private static string? ReadState(JsonElement health) => health.GetProperty("aggregates").GetProperty("state").GetString();

    private static async Task<bool> InStepAsync(DriftvyAppFactory app)
    {
        var status = app.Services.GetRequiredService<AggregateStatus>();
        if (status.State != AggregateState.Ready || status.Behind)
        {
            return false;
        }

        try
        {
            var watermark = await app.Services.GetRequiredService<IAggregateStore>().ReadWatermarkAsync(Ct);
            return watermark > 0 && watermark == await app.Services.GetRequiredService<IContactFactStore>().MaxSeqAsync(Ct);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            return false;
        }
    }

    private async Task FlushAsync()
    {
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        await connection.GetServers()[0].FlushAllDatabasesAsync();
    }

    /// <summary>Every bucket of the day for each simulated queue: day, quarters and minutes.</summary>
    private static List<BucketKey> DayKeys(DriftvyAppFactory app, DateTimeOffset now)
    {
        var queues = app.Services.GetRequiredService<IOptions<Driftvy.Web.Sources.Simulator.SimulatorOptions>>().Value.Queues.Select(q => q.Id);
        var start = Driftvy.Domain.Calendar.StockholmTime.StartOfDayUtc(Driftvy.Domain.Calendar.StockholmTime.LocalDate(now));
        return queues.SelectMany(q => new[] { BucketKey.ForDay(q, Driftvy.Domain.Calendar.StockholmTime.LocalDate(now)) }
            .Concat(BucketKey.Range(q, Granularity.Quarter, start, now.AddMinutes(15)))
            .Concat(BucketKey.Range(q, Granularity.Minute, now.AddMinutes(-60), now.AddMinutes(1)))).ToList();
    }

    private static async Task<IReadOnlyList<(BucketKey Key, ContactTally Tally)>> ReadAllAsync(DriftvyAppFactory app, DateTimeOffset now)
    {
        var keys = DayKeys(app, now);
        var tallies = await app.Services.GetRequiredService<IAggregateStore>().ReadTalliesAsync(keys, Ct);
        return keys.Zip(tallies).ToList();
    }

    /// <summary>The reference: every stored fact folded once into a fresh in-process store.</summary>
    private static async Task<IReadOnlyList<(BucketKey Key, ContactTally Tally)>> FoldFactsAsync(DriftvyAppFactory app, DateTimeOffset now)
    {
        var reference = new InProcessAggregateStore(Options.Create(new AggregateOptions()), TestClock.Frozen(now));
        var facts = new List<StoredContact>();
        await foreach (var f in app.Services.GetRequiredService<IContactFactStore>().ReadAfterAsync(0, now.AddDays(-70), Ct))
        {
            facts.Add(f);
        }

        Assert.NotEmpty(facts);
        await reference.ApplyAsync(new AggregateBatch(facts, []), Ct);
        var keys = DayKeys(app, now);
        return keys.Zip(await reference.ReadTalliesAsync(keys, Ct)).ToList();
    }

    private static void AssertSame(IReadOnlyList<(BucketKey Key, ContactTally Tally)> expected, IReadOnlyList<(BucketKey Key, ContactTally Tally)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Contains(expected, e => e.Tally.Offered > 0);
        for (var i = 0; i < expected.Count; i++)
        {
            var (key, e) = expected[i];
            var a = actual[i].Tally;
            var where = $"{key.Queue} {key.Granularity} {key.Label}";
            Assert.True(e.Offered == a.Offered, $"{where}: offered {e.Offered} expected, {a.Offered} found");
            Assert.True(e.Answered == a.Answered && e.Abandoned == a.Abandoned && e.HandledCount == a.HandledCount && e.FcrFlagged == a.FcrFlagged && e.FcrResolved == a.FcrResolved, $"{where}: counters differ");
            Assert.True(Math.Abs(e.AnsweredWaitSecondsSum - a.AnsweredWaitSecondsSum) < 1e-6 && Math.Abs(e.HandleSecondsSum - a.HandleSecondsSum) < 1e-6, $"{where}: sums differ");
            Assert.True(e.AnsweredWaits.SequenceEqual(a.AnsweredWaits) && e.AbandonedWaits.SequenceEqual(a.AbandonedWaits), $"{where}: wait histograms differ");
        }
    }
}
