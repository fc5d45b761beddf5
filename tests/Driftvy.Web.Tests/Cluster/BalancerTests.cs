using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Driftvy.Web.Tests.Cluster;

/// <summary>
/// The production layout, for real: HAProxy (the shipped <c>deploy/haproxy.cfg</c>) round-robin without stickiness in
/// front of two Driftvy processes on one redis-server and one PostgreSQL database with clustered Quartz. A session
/// cookie issued through the balancer holds on whichever instance the next request lands; wall screens (official
/// SignalR client, WebSockets without negotiation, signed in with that cookie) joined through it are pushed the
/// board; then one instance is SIGKILLed while they are connected.
/// </summary>
public sealed class BalancerTests(RedisServer redis, PostgresServer postgres) : IClassFixture<RedisServer>, IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _keys = Directory.CreateTempSubdirectory("driftvy-balancer-keys-").FullName;

    private const string Board = "kontaktcenter";
    private const int ScreenCount = 6;
    private const string CertificatePassword = "balans-nyckel";

    /// <summary>The promise to the wall: a screen whose instance dies shows live figures again within this.</summary>
    private static readonly TimeSpan LiveAgainWithin = TimeSpan.FromSeconds(10);

    /// <summary>Only bounds a busy machine; never part of what is asserted.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Bounds one instance's start (migrations, store catch-up) on two cores shared with a whole test run.</summary>
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(180);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KillOneInstance_ScreensAndSessionThroughBalancer_ScreensLiveAgainWithin10sAndUserStillSignedIn()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        Requirements.Require(HaproxyBalancer.Available, "HAProxy", "apt-get install haproxy");
        var database = await postgres.CreateDatabaseAsync();
        var username = $"anna-{Guid.NewGuid():N}"[..16];
        var prefix = $"balancer:{Guid.NewGuid():N}:";
        var certificate = KeyCertificates.Write(_keys, CertificatePassword);
        Dictionary<string, string> Settings(bool bootstrap)
        {
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings:Redis"] = redis.ConnectionString,
                ["ConnectionStrings:Postgres"] = database,
                ["Aggregates:KeyPrefix"] = prefix,
                ["Scheduling:Clustered"] = "true",
                ["Scheduling:CheckinInterval"] = "00:00:02",
                ["Sources:Telephony:Enabled"] = "true",
                ["Sources:Telephony:PollInterval"] = "00:00:01",
                ["Privacy:CallerHashKey"] = "balancer-test-key-balancer-test-key",
                // As in production: nothing is read without signing in, so every screen's reconnection proves the
                // surviving instance accepts the session the other one issued.
                ["Security:AnonymousRead"] = "false",
                ["Security:KnownProxies:0"] = "127.0.0.1",
                // As in production: the shared key ring is stored encrypted to one certificate both instances hold.
                ["Security:KeyEncryptionCertificate"] = certificate,
                ["Security:KeyEncryptionCertificatePassword"] = CertificatePassword,
            };
            if (bootstrap)
            {
                settings["Security:BootstrapAdmin:Username"] = username;
                settings["Security:BootstrapAdmin:Password"] = DriftvyAppFactory.TestPassword;
            }

            return settings;
        }

        // One at a time: the first applies the migrations and creates the account, the second finds them.
        var first = await DriftvyProcess.StartAsync(Settings(bootstrap: true), StartPatience, Ct);
        await using var _ = first;
        var second = await DriftvyProcess.StartAsync(Settings(bootstrap: false), StartPatience, Ct);
        await using var __ = second;
        await using var balancer = await HaproxyBalancer.StartAsync(first.Address, second.Address, Ct);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = balancer.Address, Timeout = TimeSpan.FromSeconds(15) };

        // Signed in through the balancer; the next requests land on both instances, and each knows the user.
        using var signIn = await http.PostAsJsonAsync("/auth/login", new { username, password = DriftvyAppFactory.TestPassword }, Ct);
        Assert.True(signIn.IsSuccessStatusCode, $"sign-in through the balancer: {(int)signIn.StatusCode}\n{balancer.Log}");
        var cookie = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';', 2)[0]));
        var issuedBy = InstanceOf(signIn);
        var answeredBy = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 8 && answeredBy.Count < 2; i++)
        {
            var (name, instance) = await MeAsync(http, cookie);
            Assert.True(name == username, $"request {i + 1} after signing in on {issuedBy}, answered by {instance}: signed in as '{name}'");
            answeredBy.Add(instance);
        }

        Assert.True(answeredBy.SetEquals(["app1", "app2"]), $"requests after the sign-in on {issuedBy} were answered only by {string.Join(", ", answeredBy)}: the balancer sticks");

        // Screens joined through the balancer, with the session cookie, each pushed the board.
        var screens = new List<Screen>();
        try
        {
            for (var i = 0; i < ScreenCount; i++)
            {
                screens.Add(await Screen.JoinAsync(balancer.Address, cookie));
            }

            foreach (var screen in screens)
            {
                Assert.True(await screen.PushedAfterAsync(0, Patience), $"a screen joined through the balancer was never pushed the board\n{balancer.Log}");
            }

            // kill -9 one instance while the screens are connected.
            var newestBefore = screens.Max(s => s.Newest);
            var killedAt = Stopwatch.GetTimestamp();
            second.Kill();

            // Every screen shows live figures again: a snapshot built after everything it had before, received
            // after the kill (a screen on the dead instance reconnects through the balancer and rejoins its board).
            var liveAgain = await Task.WhenAll(screens.Select(s => s.LiveAgainAsync(killedAt, newestBefore, Patience)));
            var reconnected = screens.Count(s => s.Reconnections > 0);
            var report = string.Join(", ", liveAgain.Select(t => t is { } d ? $"{d.TotalSeconds:0.0} s" : "never"));
            TestContext.Current.TestOutputHelper?.WriteLine($"after the kill, live again after: {report}; {reconnected} of {ScreenCount} screens reconnected");
            Assert.True(liveAgain.All(t => t is { } d && d <= LiveAgainWithin), $"each screen live again after the kill: {report} (promised within {LiveAgainWithin.TotalSeconds} s)\n{balancer.Log}");
            Assert.True(reconnected is > 0 and < ScreenCount, $"{reconnected} of {ScreenCount} screens lost their connection: round robin should have put them on both instances");

            // The user is still signed in, on the instance that is left.
            for (var i = 0; i < 3; i++)
            {
                var (name, instance) = await MeAsync(http, cookie);
                Assert.Equal(username, name);
                Assert.Equal("app1", instance);
            }

            // And the clustered schedule goes on without the dead instance: every screen is pushed again (Quartz
            // recovers a firing the dead instance had claimed after its check-in lapses, so this can take longer).
            var pushedAgain = await Task.WhenAll(screens.Select(s => s.PushedAfterAsync(killedAt, Patience)));
            TestContext.Current.TestOutputHelper?.WriteLine($"first push after the kill on every screen within {Stopwatch.GetElapsedTime(killedAt).TotalSeconds:0.0} s");
            Assert.True(pushedAgain.All(p => p), "pushes resumed on every screen after the kill");
            Assert.True(first is { HasExited: false }, "the surviving instance is still running");
        }
        finally
        {
            foreach (var screen in screens)
            {
                await screen.DisposeAsync();
            }
        }
    }

    public void Dispose() => Directory.Delete(_keys, recursive: true);

    private static string InstanceOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(HaproxyBalancer.InstanceHeader, out var values) ? values.Single() : "(no instance header)";

    private static async Task<(string? Name, string Instance)> MeAsync(HttpClient http, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/me") { Headers = { { "Cookie", cookie } } };
        using var response = await http.SendAsync(request, Ct);
        var instance = InstanceOf(response);
        if (!response.IsSuccessStatusCode)
        {
            return ($"HTTP {(int)response.StatusCode}", instance);
        }

        var me = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (me.TryGetProperty("name", out var name) ? name.GetString() : null, instance);
    }

    /// <summary>Reconnects at once, then every half second: a bounded client, like the wall screen's.</summary>
    private sealed class EveryHalfSecond : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            retryContext.ElapsedTime > Patience ? null : retryContext.PreviousRetryCount == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(500);
    }

    /// <summary>
    /// A wall screen: joins the board, rejoins it after every reconnection (the group was the dead instance's), and
    /// records when each snapshot arrived and when it was built.
    /// </summary>
    private sealed class Screen : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private readonly Lock _gate = new();
        private readonly List<(long ReceivedAt, DateTimeOffset GeneratedAt, bool Pushed)> _seen = [];
        private readonly BoardFeed _feed;
        private int _reconnections;

        private Screen(HubConnection connection)
        {
            _connection = connection;
            _feed = BoardFeed.On(connection, Board, s => Record(s, pushed: true));
            connection.Reconnecting += _ =>
            {
                Interlocked.Increment(ref _reconnections);
                return Task.CompletedTask;
            };
            connection.Reconnected += _ => JoinWithRetriesAsync();
        }

        public int Reconnections => Volatile.Read(ref _reconnections);

        /// <summary>The build time of the newest snapshot the screen has.</summary>
        public DateTimeOffset Newest
        {
            get
            {
                lock (_gate)
                {
                    return _seen.Max(s => s.GeneratedAt);
                }
            }
        }

        public static async Task<Screen> JoinAsync(Uri balancer, string cookie)
        {
            var connection = HubClients.Reconnecting(balancer, DashboardHub.Path, new EveryHalfSecond(), o => o.Headers["Cookie"] = cookie);
            var screen = new Screen(connection);
            await connection.StartAsync(Ct);
            Assert.True(await screen.JoinWithRetriesAsync(), "a screen could not join its board through the balancer");
            return screen;
        }

        /// <summary>
        /// Joins the board; like the wall screen, a transient failure (a store timeout on a busy machine, the cluster
        /// settling after the kill) is retried, bounded.
        /// </summary>
        private async Task<bool> JoinWithRetriesAsync()
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                try
                {
                    var joined = await _connection.InvokeAsync<BoardSnapshot>("JoinBoard", Board, Ct);
                    _feed.Hold(joined, show: false);
                    Record(joined, pushed: false);
                    return true;
                }
                catch (HubException)
                {
                    await Task.Delay(250, Ct);
                }
            }

            return false;
        }

        /// <summary>Time from <paramref name="since"/> until a snapshot built after <paramref name="newerThan"/> arrived, or null.</summary>
        public async Task<TimeSpan?> LiveAgainAsync(long since, DateTimeOffset newerThan, TimeSpan timeout)
        {
            TimeSpan? Found()
            {
                lock (_gate)
                {
                    return _seen.Where(s => s.ReceivedAt > since && s.GeneratedAt > newerThan)
                        .Select(s => (TimeSpan?)Stopwatch.GetElapsedTime(since, s.ReceivedAt)).FirstOrDefault();
                }
            }

            await Requirements.WaitUntilAsync(() => Task.FromResult(Found() is not null), timeout, Ct);
            return Found();
        }

        /// <summary>Waits until the server pushes the board after <paramref name="since"/> (a Stopwatch timestamp).</summary>
        public Task<bool> PushedAfterAsync(long since, TimeSpan timeout)
        {
            bool Pushed()
            {
                lock (_gate)
                {
                    return _seen.Any(s => s.Pushed && s.ReceivedAt > since);
                }
            }

            return Requirements.WaitUntilAsync(() => Task.FromResult(Pushed()), timeout, Ct);
        }

        private void Record(BoardSnapshot snapshot, bool pushed)
        {
            lock (_gate)
            {
                _seen.Add((Stopwatch.GetTimestamp(), snapshot.GeneratedAt, pushed));
            }
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
