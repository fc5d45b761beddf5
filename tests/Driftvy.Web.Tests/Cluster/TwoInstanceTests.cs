using Driftvy.Web.Dashboard;
using Driftvy.Web.Sources;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Cluster;

/// <summary>
/// Two Driftvy processes' worth of hosts (each on its own Kestrel port) against one redis-server and
/// one PostgreSQL database, with Quartz clustered: the poll fires once per interval in total, and a
/// SignalR client on either instance receives the boards the other instance's polls changed.
/// </summary>
public sealed class TwoInstanceTests(RedisServer redis, PostgresServer postgres) : IClassFixture<RedisServer>, IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoInstances_ClusteredPolling_FiresOncePerIntervalAndEveryScreenIsUpdated()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        var database = await postgres.CreateDatabaseAsync();
        var prefix = $"cluster:{Guid.NewGuid():N}:";
        Dictionary<string, string?> Settings() => new()
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["ConnectionStrings:Postgres"] = database,
            ["Aggregates:KeyPrefix"] = prefix,
            ["Scheduling:Clustered"] = "true",
            ["Scheduling:CheckinInterval"] = "00:00:02",
            ["Sources:Telephony:Enabled"] = "true",
            ["Sources:Telephony:PollInterval"] = "00:00:01",
        };

        await using var first = new DriftvyAppFactory(Settings(), kestrelPort: Requirements.FreePort());
        first.StartServer();
        await using var second = new DriftvyAppFactory(Settings(), kestrelPort: Requirements.FreePort());
        second.StartServer();

        await using var screenOnFirst = await JoinAsync(first);
        await using var screenOnSecond = await JoinAsync(second);

        // Let both schedulers join the cluster, then count the firings of a fixed stretch of time.
        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(Polls(first) + Polls(second) >= 2), TimeSpan.FromSeconds(30), Ct), "no poll ran");
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var before = Polls(first) + Polls(second);
        var window = TimeSpan.FromSeconds(8);
        await Task.Delay(window, Ct);
        var fired = Polls(first) + Polls(second) - before;

        var expected = window / Interval;
        Assert.True(fired >= expected - 3 && fired <= expected + 2, $"{fired} polls ran in {window.TotalSeconds} s at one per {Interval.TotalSeconds} s over both instances (each instance polling on its own would give about {2 * expected})");

        // A screen on each instance is pushed boards, whichever instance polled.
        var latestFirst = await screenOnFirst.NextAsync(TimeSpan.FromSeconds(15));
        var latestSecond = await screenOnSecond.NextAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("ready", latestFirst.State);
        Assert.Equal("redis", latestSecond.AggregateStore);
        Assert.True(screenOnFirst.Count > 0 && screenOnSecond.Count > 0);

        // The simulators of both instances replay the same seeded day: the facts hold each contact once.
        var facts = first.Services.GetRequiredService<IContactFactStore>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        long count = 0;
        await foreach (var f in facts.ReadAfterAsync(0, DateTimeOffset.UtcNow.AddDays(-2), Ct))
        {
            count++;
            ids.Add(f.Contact.ContactId);
        }

        Assert.True(count > 0);
        Assert.Equal(count, ids.Count);
    }

    private static long Polls(DriftvyAppFactory app) => app.Services.GetRequiredService<SourceHealth>().Get("simulator")?.Polls ?? 0;

    private static async Task<Screen> JoinAsync(DriftvyAppFactory app)
    {
        var connection = HubClients.ForUrl(app.KestrelAddress, DashboardHub.Path);
        var screen = new Screen(connection);
        await connection.StartAsync(Ct);
        await connection.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct);
        return screen;
    }

    /// <summary>A wall screen: counts the boards pushed to it and hands out the next one.</summary>
    private sealed class Screen : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private readonly Lock _gate = new();
        private TaskCompletionSource<BoardSnapshot> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Screen(HubConnection connection)
        {
            _connection = connection;
            connection.On<BoardSnapshot>(nameof(IDashboardClient.BoardUpdated), s =>
            {
                lock (_gate)
                {
                    Count++;
                    _next.TrySetResult(s);
                    _next = new TaskCompletionSource<BoardSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            });
        }

        public int Count { get; private set; }

        public Task<BoardSnapshot> NextAsync(TimeSpan timeout)
        {
            lock (_gate)
            {
                return _next.Task.WaitAsync(timeout, Ct);
            }
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
