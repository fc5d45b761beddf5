using System.Text.Json;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Dashboard;

/// <summary>
/// A board snapshot service keeps today's buckets it has read and asks the store only for what moved: a late
/// fact into a closed quarter hour and a rebuild must still show in the next snapshot, exactly as a service
/// that never read before would show them. Run against both stores (see the two subclasses).
/// </summary>
public abstract class BoardSnapshotCacheTests
{
    // A Tuesday afternoon; the morning's quarter hours are long closed.
    private static readonly DateTimeOffset Afternoon = new(2026, 3, 3, 14, 7, 0, TimeSpan.FromHours(1));
    private static readonly DateTimeOffset NineOClock = new(2026, 3, 3, 9, 0, 0, TimeSpan.FromHours(1));
    private const string Queue = "kc-stockholm";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Dictionary<string, string?> Settings();

    private DriftvyAppFactory CreateApp() =>
        new(new Dictionary<string, string?>(Settings()) { ["Aggregates:CheckInterval"] = "00:10:00" }, new FakeTimeProvider(Afternoon));

    private static StoredContact Answered(long seq, DateTimeOffset offered, double waitSeconds) =>
        new(seq, new ContactRecord($"cache-{seq}", Channel.Phone, Queue, offered, offered.AddSeconds(waitSeconds), null, offered.AddSeconds(waitSeconds + 180), true));

    [Fact]
    public async Task BuildAsync_LateFactIntoAClosedQuarter_ShowsInTheNextSnapshot()
    {
        await using var app = CreateApp();
        var (store, service) = await StartAsync(app);
        await store.ApplyAsync(new AggregateBatch([Answered(1, NineOClock.AddMinutes(2), 10), Answered(2, NineOClock.AddMinutes(5), 20), Answered(3, NineOClock.AddMinutes(14), 30)], []), Ct);
        var before = await service.BuildAsync("kontaktcenter", Ct);

        // Reported late (the caller waited two minutes): it lands in the 09:00 quarter, five hours after it closed.
        await store.ApplyAsync(new AggregateBatch([Answered(4, NineOClock.AddMinutes(10), 120)], []), Ct);
        var after = await service.BuildAsync("kontaktcenter", Ct);

        Assert.Equal((3L, 100.0), NineOClockPoint(before!));
        Assert.Equal((4L, 75.0), NineOClockPoint(after!));
        Assert.Equal(Json(await FreshService(app).BuildAsync("kontaktcenter", Ct)), Json(after));
    }

    [Fact]
    public async Task BuildAsync_AfterARebuildWithOtherFacts_ShowsTheRebuiltFigures()
    {
        await using var app = CreateApp();
        var (store, service) = await StartAsync(app);
        await store.ApplyAsync(new AggregateBatch([Answered(1, NineOClock.AddMinutes(2), 10), Answered(2, NineOClock.AddMinutes(5), 20)], []), Ct);
        var before = await service.BuildAsync("kontaktcenter", Ct);

        // The same number of contacts in the same quarter, but slower: only the generation tells them apart.
        await store.ClearAsync(Ct);
        await store.ApplyAsync(new AggregateBatch([Answered(1, NineOClock.AddMinutes(2), 100), Answered(2, NineOClock.AddMinutes(5), 200)], []), Ct);
        var after = await service.BuildAsync("kontaktcenter", Ct);

        Assert.Equal((2L, 100.0), NineOClockPoint(before!));
        Assert.Equal((2L, 0.0), NineOClockPoint(after!));
        Assert.Equal(Json(await FreshService(app).BuildAsync("kontaktcenter", Ct)), Json(after));
    }

    [Fact]
    public async Task BuildAsync_NothingFoldedSinceTheLastSnapshot_GivesTheSameFigures()
    {
        await using var app = CreateApp();
        var (store, service) = await StartAsync(app);
        await store.ApplyAsync(new AggregateBatch([Answered(1, NineOClock.AddMinutes(2), 10), Answered(2, Afternoon.AddMinutes(-3), 90)], []), Ct);

        var first = await service.BuildAsync("kontaktcenter", Ct);
        var second = await service.BuildAsync("kontaktcenter", Ct);

        Assert.Equal(Json(first), Json(second));
        Assert.Equal(2, second!.Tiles.Single(t => t.Queue == Queue).Offered);
    }

    [Fact]
    public async Task JoinAsync_ManyScreensAtOnce_ShareOneBuildAndTheNextJoinBuildsAnew()
    {
        await using var app = CreateApp();
        var (store, service) = await StartAsync(app);
        await store.ApplyAsync(new AggregateBatch([Answered(1, NineOClock.AddMinutes(2), 10)], []), Ct);

        // A failover: every screen of the board joins within the same instant.
        var joins = Enumerable.Range(0, 50).Select(_ => service.JoinAsync("kontaktcenter", Ct)).ToList();
        var snapshots = await Task.WhenAll(joins);
        var later = await service.JoinAsync("kontaktcenter", Ct);

        Assert.All(snapshots, s => Assert.Same(snapshots[0], s));
        Assert.NotSame(snapshots[0], later);
        Assert.Equal(Json(snapshots[0]), Json(later));
        Assert.Null(await service.JoinAsync("no-such-board", Ct));
    }

    private static async Task<(IAggregateStore Store, BoardSnapshotService Service)> StartAsync(DriftvyAppFactory app)
    {
        _ = app.Server;
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        return (app.Services.GetRequiredService<IAggregateStore>(), app.Services.GetRequiredService<BoardSnapshotService>());
    }

    private static BoardSnapshotService FreshService(DriftvyAppFactory app) => ActivatorUtilities.CreateInstance<BoardSnapshotService>(app.Services);

    private static (long Offered, double ServiceLevel) NineOClockPoint(BoardSnapshot snapshot)
    {
        var point = snapshot.Tiles.Single(t => t.Queue == Queue).Intraday.Single(p => p.Start == NineOClock);
        return (point.Offered!.Value, point.ServiceLevel!.Value);
    }

    private static string Json(BoardSnapshot? snapshot) => JsonSerializer.Serialize(snapshot! with { GeneratedAt = default });
}

public sealed class InProcessBoardSnapshotCacheTests : BoardSnapshotCacheTests
{
    protected override Dictionary<string, string?> Settings() => [];
}

public sealed class RedisBoardSnapshotCacheTests(RedisServer redis) : BoardSnapshotCacheTests, IClassFixture<RedisServer>
{
    protected override Dictionary<string, string?> Settings()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        return new()
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Aggregates:KeyPrefix"] = $"cache:{Guid.NewGuid():N}:",
        };
    }
}
