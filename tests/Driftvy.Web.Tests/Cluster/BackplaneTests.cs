using System.Text.Json;
using Driftvy.Web.Alerts;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Driftvy.Web.Tests.Cluster;

/// <summary>
/// Two instances on one redis-server and one PostgreSQL database, screens connected to each over real Kestrel: what
/// one instance sends through the hub context reaches the other's screens through the SignalR Redis backplane. Both
/// hosts run on one frozen clock, so no periodic loop (the revoked-display sweep, the alert timer, the store check)
/// can deliver anything in its place.
/// </summary>
public sealed class BackplaneTests(RedisServer redis, PostgresServer postgres) : IClassFixture<RedisServer>, IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task BoardChange_FoldedOnOneInstance_IsBuiltThereOnceAndReachesScreensOnBoth()
    {
        await using var cluster = await TwoInstances.StartAsync(redis, postgres);
        await using var onFirst = await Screen.JoinAsync(cluster.First);
        await using var onSecond = await Screen.JoinAsync(cluster.Second);
        var builtBefore = (cluster.FirstNotifier.Calls, cluster.SecondNotifier.Calls);
        var nextOnFirst = onFirst.NextBoard();
        var nextOnSecond = onSecond.NextBoard();

        var added = await cluster.First.Services.GetRequiredService<TelephonyPollService>().PollOnceAsync(Ct);

        var first = await nextOnFirst.WaitAsync(Patience, Ct);
        var second = await nextOnSecond.WaitAsync(Patience, Ct);
        Assert.True(added > 0, "the simulator produced contacts for the poll");
        Assert.Equal(builtBefore.Item1 + 1, cluster.FirstNotifier.Calls);
        Assert.True(builtBefore.Item2 == cluster.SecondNotifier.Calls, "the second instance built snapshots of its own");
        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
        Assert.Contains(second.Tiles, t => t.Queue is not null);
    }

    [Fact]
    public async Task NextPush_FromTheOtherInstance_IsAChangeOnTopOfThePushTheFirstKept()
    {
        await using var cluster = await TwoInstances.StartAsync(redis, postgres);
        await using var screen = await Screen.JoinAsync(cluster.Second);
        var fromFirst = screen.NextBoard();
        await cluster.First.Services.GetRequiredService<TelephonyPollService>().PollOnceAsync(Ct);
        var shown = await fromFirst.WaitAsync(Patience, Ct);

        // The second instance never pushed this board: it takes the push the first kept in Redis as its base.
        var change = screen.Next<BoardChange>(nameof(IDashboardClient.BoardChanged));
        var whole = screen.Next<BoardSnapshot>(nameof(IDashboardClient.BoardUpdated));
        var next = screen.NextBoard();
        await cluster.Second.Services.GetRequiredService<IDashboardNotifier>().PublishAllAsync(Ct);

        var pushed = await Task.WhenAny(change, whole).WaitAsync(Patience, Ct);
        Assert.Same(change, pushed);
        var changed = await change;
        Assert.Equal(shown.Seq, changed.BaseSeq);
        var after = await next.WaitAsync(Patience, Ct);
        Assert.Equal(changed.Seq, after.Seq);
        Assert.Equal(0, screen.Misfits);
    }

    [Fact]
    public async Task AlertsAndRevocation_RaisedOnOneInstance_ReachTheScreensOnTheOther()
    {
        await using var cluster = await TwoInstances.StartAsync(redis, postgres);
        var tokens = cluster.First.Services.GetRequiredService<Driftvy.Web.Dashboard.Display.DisplayTokenService>();
        var created = await tokens.CreateAsync("kontaktcenter", "TV plan 3", Ct);
        await using var display = await Screen.JoinAsync(cluster.Second, created.Token);
        var alerts = display.Next<IReadOnlyList<AlertView>>(nameof(IDashboardClient.AlertsChanged));
        var revoked = display.Next<bool>(nameof(IDashboardClient.DisplayRevoked));

        await cluster.First.Services.GetRequiredService<IAlertBroadcaster>().BroadcastAsync([], [], Ct);
        Assert.Empty(await alerts.WaitAsync(Patience, Ct));

        Assert.True(await tokens.RevokeAsync(created.Info.Id, Ct));
        Assert.True(await revoked.WaitAsync(Patience, Ct));
    }

    /// <summary>Counts the pushes of fresh snapshots an instance starts (each builds every board's snapshot once).</summary>
    private sealed class CountingNotifier(DashboardNotifier inner) : IDashboardNotifier
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task PublishAllAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return inner.PublishAllAsync(cancellationToken);
        }
    }

    private sealed class TwoInstances : IAsyncDisposable
    {
        private TwoInstances(DriftvyAppFactory first, DriftvyAppFactory second, CountingNotifier firstNotifier, CountingNotifier secondNotifier) =>
            (First, Second, FirstNotifier, SecondNotifier) = (first, second, firstNotifier, secondNotifier);

        public DriftvyAppFactory First { get; }

        public DriftvyAppFactory Second { get; }

        public CountingNotifier FirstNotifier { get; }

        public CountingNotifier SecondNotifier { get; }

        public static async Task<TwoInstances> StartAsync(RedisServer redis, PostgresServer postgres)
        {
            Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
            Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
            var database = await postgres.CreateDatabaseAsync();
            var prefix = $"backplane:{Guid.NewGuid():N}:";
            var time = TestClock.Frozen(TestClock.OrdinaryMorning);
            Dictionary<string, string?> settings = new()
            {
                ["ConnectionStrings:Redis"] = redis.ConnectionString,
                ["ConnectionStrings:Postgres"] = database,
                ["Aggregates:KeyPrefix"] = prefix,
            };

            DriftvyAppFactory Start()
            {
                var app = new DriftvyAppFactory(settings, time, kestrelPort: Requirements.FreePort(), services: services =>
                {
                    services.TryAddSingleton<DashboardNotifier>();
                    services.Replace(ServiceDescriptor.Singleton<IDashboardNotifier>(sp => new CountingNotifier(sp.GetRequiredService<DashboardNotifier>())));
                });
                app.StartServer();
                return app;
            }

            var first = Start();
            var second = Start();
            return new TwoInstances(first, second,
                (CountingNotifier)first.Services.GetRequiredService<IDashboardNotifier>(),
                (CountingNotifier)second.Services.GetRequiredService<IDashboardNotifier>());
        }

        public async ValueTask DisposeAsync()
        {
            await Second.DisposeAsync();
            await First.DisposeAsync();
        }
    }

    /// <summary>A wall screen on one instance, joined to the board (with a display token when given one).</summary>
    private sealed class Screen : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private readonly BoardFeed _feed;
        private TaskCompletionSource<BoardSnapshot> _nextBoard = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private Screen(HubConnection connection)
        {
            _connection = connection;
            _feed = BoardFeed.On(connection, "kontaktcenter", s => Volatile.Read(ref _nextBoard).TrySetResult(s));
        }

        /// <summary>Changes that did not fit what the screen held.</summary>
        public int Misfits => _feed.Misfits;

        /// <summary>The next board the screen shows after a push (whole or a change applied).</summary>
        public Task<BoardSnapshot> NextBoard()
        {
            var next = new TaskCompletionSource<BoardSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _nextBoard, next);
            return next.Task;
        }

        public static async Task<Screen> JoinAsync(DriftvyAppFactory app, string? token = null)
        {
            var connection = HubClients.ForUrl(app.KestrelAddress, DashboardHub.Path, token is null ? null : "token=" + Uri.EscapeDataString(token));
            var screen = new Screen(connection);
            await connection.StartAsync(Ct);
            screen._feed.Hold(await connection.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct), show: false);
            return screen;
        }

        /// <summary>The next message <paramref name="method"/> brings (<c>true</c> for one without arguments).</summary>
        public Task<T> Next<T>(string method)
        {
            var next = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (typeof(T) == typeof(bool))
            {
                _connection.On(method, () => next.TrySetResult((T)(object)true));
            }
            else
            {
                _connection.On<T>(method, value => next.TrySetResult(value));
            }

            return next.Task;
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
