using Driftvy.Web.Dashboard;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Driftvy.Web.Tests.Cluster;

/// <summary>
/// Two Driftvy processes' worth of hosts (each on its own Kestrel port) against one redis-server and
/// one PostgreSQL database, with Quartz clustered: each firing of the poll runs on exactly one instance, and a
/// SignalR client on either instance receives the boards the other instance's polls changed.
/// </summary>
public sealed class TwoInstanceTests(RedisServer redis, PostgresServer postgres) : IClassFixture<RedisServer>, IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoInstances_ClusteredPolling_EachFiringRunsOnOneInstanceAndEveryScreenIsUpdated()
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

        // Each firing of the clustered trigger is recorded with its scheduled time and the instance that ran it.
        var firings = new Firings();
        await firings.ListenAsync(first, "first");
        await firings.ListenAsync(second, "second");

        // Event-based: wait for a dozen firings in all (the deadline only bounds a busy machine), then check
        // that no scheduled firing ran on both instances.
        const int Wanted = 12;
        Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(firings.Count >= Wanted), TimeSpan.FromSeconds(90), Ct), $"only {firings.Count} polls ran");
        var all = firings.Snapshot();
        TestContext.Current.SendDiagnosticMessage($"{all.Count} firings: {all.Count(f => f.Instance == "first")} on the first instance, {all.Count(f => f.Instance == "second")} on the second");
        var twice = all.GroupBy(f => f.Scheduled).Where(g => g.Count() > 1).Select(g => $"{g.Key:HH:mm:ss.fff} on {string.Join(" and ", g.Select(f => f.Instance))}").ToList();
        Assert.True(twice.Count == 0, "firings that ran on both instances: " + string.Join("; ", twice));

        // A screen on each instance is pushed boards, whichever instance polled.
        var latestFirst = await screenOnFirst.NextAsync(TimeSpan.FromSeconds(15));
        var latestSecond = await screenOnSecond.NextAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("ready", latestFirst.State);
        Assert.Equal("redis", latestSecond.AggregateStore);
        Assert.True(screenOnFirst.Count > 0 && screenOnSecond.Count > 0);
        TestContext.Current.SendDiagnosticMessage($"screens: {screenOnFirst.Count} and {screenOnSecond.Count} boards, of them {screenOnFirst.Feed.Changes} and {screenOnSecond.Feed.Changes} as changes; {screenOnFirst.Feed.Misfits} and {screenOnSecond.Feed.Misfits} changes fetched whole again");

        // The simulators of both instances replay the same seeded day: the facts hold each contact once.
        var facts = first.Services.GetRequiredService<IContactFactStore>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        long count = 0;
        await foreach (var f in facts.ReadAfterAsync(0, first.Time.GetUtcNow().AddDays(-2), Ct))
        {
            count++;
            ids.Add(f.Contact.ContactId);
        }

        Assert.True(count > 0);
        Assert.Equal(count, ids.Count);
    }

    /// <summary>The telephony poll's firings on every instance, from a Quartz job listener.</summary>
    private sealed class Firings
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(DateTimeOffset Scheduled, string Instance)> _all = new();

        public int Count => _all.Count;

        public List<(DateTimeOffset Scheduled, string Instance)> Snapshot() => [.. _all];

        public async Task ListenAsync(DriftvyAppFactory app, string instance)
        {
            var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);
            scheduler.ListenerManager.AddJobListener(new Listener(this, instance), [Matchers.Key(Driftvy.Web.Sources.Telephony.TelephonyPollJob.Key)]);
        }

        private sealed class Listener(Firings firings, string instance) : IJobListener
        {
            public string Name => "test-firings-" + instance;

            public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
            {
                firings._all.Enqueue((context.ScheduledFireTimeUtc ?? context.FireTimeUtc, instance));
                return ValueTask.CompletedTask;
            }

            public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

            public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
        }
    }

    private static async Task<Screen> JoinAsync(DriftvyAppFactory app)
    {
        var connection = HubClients.ForUrl(app.KestrelAddress, DashboardHub.Path);
        var screen = new Screen(connection);
        await connection.StartAsync(Ct);
        screen.Feed.Hold(await connection.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct), show: false);
        return screen;
    }

    /// <summary>A wall screen: counts the boards pushed to it (whole or as changes) and hands out the next one.</summary>
    private sealed class Screen : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private readonly Lock _gate = new();
        private TaskCompletionSource<BoardSnapshot> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Screen(HubConnection connection)
        {
            _connection = connection;
            Feed = BoardFeed.On(connection, "kontaktcenter", s =>
            {
                lock (_gate)
                {
                    Count++;
                    _next.TrySetResult(s);
                    _next = new TaskCompletionSource<BoardSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            });
        }

        public BoardFeed Feed { get; }

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
