using Driftvy.Web.Sources;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Alerts;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Sources.Ami;

/// <summary>The AMI connection against a transcript server on loopback: login, polls, events, keep-alive, reconnect.</summary>
public sealed class AmiLiveQueuesTests
{
    private const string Secret = "s3cret-never-logged";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static string Transcript => Path.Combine(AppContext.BaseDirectory, "Sources", "Ami", "queue-600.ami");

    internal static Dictionary<string, string?> Settings(int port, string secret = Secret) => new()
    {
        ["Sources:Ami:Enabled"] = "true",
        ["Sources:Ami:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Sources:Ami:Username"] = "driftvy",
        ["Sources:Ami:Secret"] = secret,
        ["Sources:Ami:Queues:600"] = "kc-stockholm",
        // One poll per connection; the events carry the changes (and a poll after a reconnect must agree with them).
        ["Sources:Ami:PollInterval"] = "01:00:00",
        // Long enough that a loaded machine answering a Ping late does not drop the connection: a reconnect polls again,
        // and the transcript's poll would undo the events a test has just pushed.
        ["Sources:Ami:KeepAlive"] = "00:00:04",
        ["Sources:Ami:MaxBackoff"] = "00:00:02",
    };

    private static Task<QueueSnapshotFact?> LatestAsync(DriftvyAppFactory app) =>
        app.WithDbAsync(db => db.QueueSnapshots.Where(s => s.Queue == "kc-stockholm").OrderByDescending(s => s.AtMs).FirstOrDefaultAsync(Ct), Ct);

    private static async Task<QueueSnapshotFact> WaitForAsync(DriftvyAppFactory app, Func<QueueSnapshotFact, bool> condition, string what)
    {
        QueueSnapshotFact? latest = null;
        var reached = await Requirements.WaitUntilAsync(async () => (latest = await LatestAsync(app)) is { } s && condition(s), TimeSpan.FromSeconds(30), Ct);
        Assert.True(reached, $"{what}; latest snapshot: waiting {latest?.Waiting}, longest {latest?.LongestWaitSeconds}, available {latest?.AgentsAvailable}, busy {latest?.AgentsBusy}, away {latest?.AgentsAway}");
        return latest!;
    }

    [Fact]
    public async Task AmiLiveQueues_TranscriptPollThenEvents_SnapshotsFollowTheQueue()
    {
        await using var server = new AmiTranscriptServer(Transcript);
        var logs = new LogCapture();
        await using var withLogs = new DriftvyAppFactory(Settings(server.Port), services: logs.AddTo);
        _ = withLogs.Server;

        // The poll: two callers (the first for 45 s), Anna on a call, Bertil free, Cecilia paused.
        var polled = await WaitForAsync(withLogs, s => s.Waiting == 2, "the poll's two waiting callers");
        Assert.True(polled.LongestWaitSeconds >= 45, $"longest wait {polled.LongestWaitSeconds}");
        Assert.Equal((1, 1, 1), (polled.AgentsAvailable, polled.AgentsBusy, polled.AgentsAway));

        await server.PushAsync("join");
        await WaitForAsync(withLogs, s => s.Waiting == 3, "a caller joining between polls");

        await server.PushAsync("connect");
        var connected = await WaitForAsync(withLogs, s => s.Waiting == 2 && s.AgentsBusy == 2, "Bertil answering the longest waiter");
        Assert.Equal(0, connected.AgentsAvailable);
        Assert.True(connected.LongestWaitSeconds < 45, $"the 45 s caller left; longest now {connected.LongestWaitSeconds}");

        // Keep-alive: quiet for longer than KeepAlive, the client pings.
        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(server.Actions.Any(a => a.GetValueOrDefault("Action") == "Ping")), TimeSpan.FromSeconds(20), Ct), $"no keep-alive Ping; host clock {withLogs.Time.GetUtcNow():O} (started {TestClock.OrdinaryMorning:O}); actions: " + string.Join(", ", server.Actions.Select(a => a.GetValueOrDefault("Action"))) + "; log: " + string.Join(" | ", logs.Lines.Where(l => l.Category.Contains("Ami", StringComparison.Ordinal)).Select(l => l.Message)));
        var login = server.Actions.First(a => a.GetValueOrDefault("Action") == "Login");
        Assert.Equal(("driftvy", Secret), (login["Username"], login["Secret"]));
        Assert.DoesNotContain(server.Actions, a => a.GetValueOrDefault("Action") != "Login" && a.ContainsValue(Secret));
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AmiLiveQueues_ServerDropsTheConnection_ReconnectsLogsInAgainAndPollsAgree()
    {
        await using var server = new AmiTranscriptServer(Transcript);
        await using var app = IngestionTestHost.Create(Settings(server.Port));
        _ = app.Server;
        await WaitForAsync(app, s => s.Waiting == 2, "the first poll");
        await server.PushAsync("join");
        await server.PushAsync("connect");
        await WaitForAsync(app, s => s.AgentsBusy == 2, "the events");

        server.DropConnections();

        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(server.Logins >= 2), TimeSpan.FromSeconds(30), Ct), "the client did not log in again");
        var after = await WaitForAsync(app, s => s.Waiting == 2 && s.AgentsBusy == 2 && s.LongestWaitSeconds >= 40, "the poll after reconnecting (QueueStatus after connect)");
        Assert.Equal(0, after.AgentsAvailable);
    }

    [Fact]
    public async Task AmiLiveQueues_LoginRefused_HealthSaysSoWithoutTheSecret()
    {
        await using var server = new AmiTranscriptServer(Transcript.Replace("queue-600.ami", "refused.ami", StringComparison.Ordinal));
        await using var app = IngestionTestHost.Create(Settings(server.Port));
        _ = app.Server;
        var health = app.Services.GetRequiredService<SourceHealth>();

        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(health.Get("asterisk-ami")?.LastError is not null), TimeSpan.FromSeconds(30), Ct), "no failure in health");
        var error = health.Get("asterisk-ami")!.LastError!;
        Assert.Contains("login refused: Authentication failed", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error, StringComparison.Ordinal);
        Assert.Null(await LatestAsync(app));
    }
}
