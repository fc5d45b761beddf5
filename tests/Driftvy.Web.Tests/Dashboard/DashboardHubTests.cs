using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Security;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Dashboard;

public sealed class DashboardHubTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task JoinBoard_ThenPoll_PushesTheUpdatedBoard()
    {
        await using var app = new DriftvyAppFactory();
        var server = app.Server;
        await using var connection = HubClients.ForTestServer(server, DashboardHub.Path);
        var pushed = new TaskCompletionSource<BoardSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        var feed = BoardFeed.On(connection, "kontaktcenter", s => pushed.TrySetResult(s));
        await connection.StartAsync(Ct);

        var joined = await connection.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct);
        feed.Hold(joined, show: false);
        Assert.Equal("kontaktcenter", joined.BoardId);
        Assert.Equal(4, joined.Tiles.Count);

        var added = await app.Services.GetRequiredService<TelephonyPollService>().PollOnceAsync(Ct);
        var snapshot = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.True(added > 0, "the first poll replays today");
        Assert.Equal("ready", snapshot.State);
        Assert.Equal(added, snapshot.Tiles.Sum(t => t.Offered));
        Assert.All(snapshot.Tiles, t => Assert.NotNull(t.DataAsOf));
        Assert.All(snapshot.Tiles, t => Assert.False(t.Stale));
        Assert.Contains(snapshot.Tiles, t => t.Value is not null && t.Intraday.Count > 0);
    }

    [Fact]
    public async Task Polls_AfterAWholePush_PushOnlyWhatChangedAndTheScreenKeepsUp()
    {
        // A frozen clock: nothing moves between the last two pushes but what the test does.
        await using var app = new DriftvyAppFactory(time: TestClock.Frozen(TestClock.OrdinaryMorning));
        await using var connection = HubClients.ForTestServer(app.Server, DashboardHub.Path);
        var wholes = 0;
        var changes = new List<BoardChange>();
        connection.On<BoardSnapshot>(nameof(IDashboardClient.BoardUpdated), _ => Interlocked.Increment(ref wholes));
        connection.On<BoardChange>(nameof(IDashboardClient.BoardChanged), c =>
        {
            lock (changes)
            {
                changes.Add(c);
            }
        });
        var shown = new List<BoardSnapshot>();
        var feed = BoardFeed.On(connection, "kontaktcenter", s =>
        {
            lock (shown)
            {
                shown.Add(s);
            }
        });
        await connection.StartAsync(Ct);
        feed.Hold(await connection.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct), show: false);
        var poll = app.Services.GetRequiredService<TelephonyPollService>();
        var notifier = app.Services.GetRequiredService<IDashboardNotifier>();

        await poll.PollOnceAsync(Ct);
        await notifier.PublishAllAsync(Ct);
        await notifier.PublishAllAsync(Ct);
        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(feed.Changes >= 2), TimeSpan.FromSeconds(10), Ct), $"{feed.Changes} changes applied, {feed.Misfits} did not fit");

        // Nothing new between the last two pushes: the change carries no tile at all, and the screen's board is the
        // server's, field for field.
        BoardChange quiet;
        lock (changes)
        {
            quiet = changes[^1];
        }

        Assert.Empty(quiet.Tiles);
        Assert.Equal(0, feed.Misfits);
        var fresh = await connection.InvokeAsync<BoardSnapshot>("Snapshot", "kontaktcenter", Ct);
        BoardSnapshot last;
        lock (shown)
        {
            last = shown[^1];
        }

        Assert.Equal(JsonSerializer.Serialize(fresh.Tiles), JsonSerializer.Serialize(last.Tiles));
        Assert.Equal(fresh.Versions, last.Versions);
        Assert.Equal(quiet.Seq, last.Seq);
        Assert.True(JsonSerializer.SerializeToUtf8Bytes(quiet).Length * 20 < JsonSerializer.SerializeToUtf8Bytes(fresh).Length, "a quiet change is a small fraction of the snapshot");
    }

    [Fact]
    public async Task Snapshot_UnknownBoard_IsRefusedLikeJoin()
    {
        await using var app = new DriftvyAppFactory();
        await using var connection = HubClients.ForTestServer(app.Server, DashboardHub.Path);
        await connection.StartAsync(Ct);

        var ex = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BoardSnapshot>("Snapshot", "no-such-board", Ct));
        Assert.EndsWith("HubException: " + HubErrors.UnknownBoard, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoinBoard_UnknownBoard_IsRefused()
    {
        await using var app = new DriftvyAppFactory();
        await using var connection = HubClients.ForTestServer(app.Server, DashboardHub.Path);
        await connection.StartAsync(Ct);

        var ex = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BoardSnapshot>("JoinBoard", "no-such-board", Ct));
        Assert.EndsWith("HubException: " + HubErrors.UnknownBoard, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_WithSameFacts_RebuildsTheSameFiguresWithoutCountingTwice()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "driftvy-test-" + Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1)));
        try
        {
            BoardSnapshot before;
            await using (var first = new DriftvyAppFactory(time: time, dataDirectory: dataDirectory))
            {
                _ = first.Server;
                await first.Services.GetRequiredService<TelephonyPollService>().PollOnceAsync(Ct);
                before = (await first.Services.GetRequiredService<BoardSnapshotService>().BuildAsync("kontaktcenter", Ct))!;
            }

            await using var second = new DriftvyAppFactory(time: time, dataDirectory: dataDirectory);
            _ = second.Server;
            // The restarted simulator replays the same day: every contact is already a stored fact.
            var added = await second.Services.GetRequiredService<TelephonyPollService>().PollOnceAsync(Ct);
            var after = (await second.Services.GetRequiredService<BoardSnapshotService>().BuildAsync("kontaktcenter", Ct))!;

            Assert.Equal(0, added);
            Assert.Equal(before.Tiles.Select(t => (t.Offered, t.Answered, t.Abandoned, t.Value)), after.Tiles.Select(t => (t.Offered, t.Answered, t.Abandoned, t.Value)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Health_WithoutRedis_ReportsTheInProcessStore()
    {
        await using var app = new DriftvyAppFactory();
        using var client = app.CreateClient();
        await app.Services.GetRequiredService<TelephonyPollService>().PollOnceAsync(Ct);

        var health = await client.GetFromJsonAsync<JsonElement>("/health", Ct);

        Assert.Equal("in-process", health.GetProperty("aggregateStore").GetString());
        Assert.Equal("sqlite", health.GetProperty("database").GetProperty("name").GetString());
        Assert.Equal(0, health.GetProperty("aggregates").GetProperty("lagContacts").GetInt64());
    }
}
