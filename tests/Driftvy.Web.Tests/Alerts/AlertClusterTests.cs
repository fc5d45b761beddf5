using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Alerts;
using Driftvy.Web.Alerts.State;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Security;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Alerts;

/// <summary>
/// Two instances on one redis-server and one PostgreSQL database, on one frozen clock (so only what the test drives
/// happens): both evaluate the alert rules as often as they are asked, yet each notification reaches the webhook
/// receiver and the SMTP sink once; an acknowledgement made on one is seen on the other; and when the instance that
/// holds the lease stops, the other takes over from the shared state.
/// </summary>
public sealed class AlertClusterTests(RedisServer redis, PostgresServer postgres) : IClassFixture<RedisServer>, IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _rules = Path.Combine(Path.GetTempPath(), $"driftvy-alerts-{Guid.NewGuid():N}.json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TwoInstances_QueueBuildsUpAndClears_EachNotificationLeavesOnceAckIsSharedAndTheLeaseMovesOnStop()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        await using var receiver = new WebhookReceiver(failFirst: 1);
        await using var sink = new SmtpSink();
        File.WriteAllText(_rules, $$"""
            { "rules": [ { "id": "kc-queue", "name": "Kön byggs upp – Kontaktcenter Stockholm", "measure": "waiting",
                           "queue": "kc-stockholm", "condition": "above", "threshold": 10, "clear_threshold": 5,
                           "severity": "critical", "channels": ["hook", "mail"] } ],
              "channels": [ { "id": "hook", "kind": "webhook", "url": "{{receiver.Url}}" },
                            { "id": "mail", "kind": "email", "smtp_host": "127.0.0.1", "smtp_port": {{sink.Port}},
                              "from": "driftvy@example.org", "to": ["teamledare@example.org"] } ] }
            """);
        var time = TestClock.Frozen(TestClock.OrdinaryMorning);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["ConnectionStrings:Postgres"] = await postgres.CreateDatabaseAsync(),
            ["Aggregates:KeyPrefix"] = $"alerts:{Guid.NewGuid():N}:",
            ["Alerts:RulesFile"] = _rules,
            // No waiting between attempts: the clock is frozen.
            ["Alerts:Delivery:InitialBackoff"] = "00:00:00",
            ["Alerts:Delivery:MaxAttempts"] = "3",
        };
        // The first answers in memory (its team leader signs in there), the second on Kestrel (its screen connects there).
        var first = new DriftvyAppFactory(settings, time);
        var second = new DriftvyAppFactory(settings, time, kestrelPort: Requirements.FreePort());
        var running = new List<DriftvyAppFactory> { first, second };
        try
        {
            _ = first.Server;
            second.StartServer();
            var seen = new ConcurrentQueue<IReadOnlyList<AlertView>>();
            await using var screenOnSecond = HubClients.ForUrl(second.KestrelAddress, DashboardHub.Path);
            screenOnSecond.On<IReadOnlyList<AlertView>>(nameof(IDashboardClient.AlertsChanged), seen.Enqueue);
            await screenOnSecond.StartAsync(Ct);
            await screenOnSecond.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct);

            // 14 callers waiting; both instances evaluate, side by side, again and again.
            await Waiting(first, 14);
            await EvaluateOnAllAsync(running, rounds: 5);
            // Delivered, and each outcome recorded (the receivers hear it a moment before the row says so).
            Assert.True(await Requirements.WaitUntilAsync(async () => Delivered(receiver) == 1 && sink.Messages.Count == 1 &&
                    (await first.Services.GetRequiredService<AlertStateStore>().NotificationsAsync(100, Ct)).All(n => n.Status == "sent"), Patience, Ct),
                $"delivered: {Delivered(receiver)} webhook, {sink.Messages.Count} e-mail");
            await EvaluateOnAllAsync(running, rounds: 5);

            Assert.Equal(1, Delivered(receiver));
            Assert.Equal(2, receiver.Requests.Count);
            Assert.Single(receiver.Requests.Select(r => r.IdempotencyKey).Distinct());
            Assert.Single(sink.Messages);
            var notifications = await first.Services.GetRequiredService<AlertStateStore>().NotificationsAsync(100, Ct);
            Assert.Equal(["hook:sent", "mail:sent"], notifications.Select(n => $"{n.Channel}:{n.Status}").Order(StringComparer.Ordinal));
            Assert.True(Lease(first).IsHeld != Lease(second).IsHeld, "exactly one instance holds the lease");

            // Acknowledged on the first instance: the second answers with it, and its screen is told.
            using var teamLeader = await first.CreateClientAsAsync(Roles.TeamLeader, "teamledare-kc");
            var open = Assert.Single(await first.CreateClient().GetFromJsonAsync<List<AlertView>>("/api/alerts", Ct) ?? []);
            var ack = await teamLeader.PostAsJsonAsync($"/api/alerts/{open.Id}/acknowledge", new { comment = "Vi tar in fler" }, Ct);
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            var onSecond = Assert.Single(await second.CreateClient(new() { BaseAddress = second.KestrelAddress }).GetFromJsonAsync<List<AlertView>>("/api/alerts", Ct) ?? []);
            Assert.Equal(open.Id, onSecond.Id);
            Assert.Equal("teamledare-kc", onSecond.AcknowledgedBy);
            Assert.Equal("Vi tar in fler", onSecond.AcknowledgeComment);
            Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(seen.Any(list => list.Any(a => a.AcknowledgedBy == "teamledare-kc"))), Patience, Ct),
                "the screen on the second instance heard of the acknowledgement");

            // The lease holder stops; the other takes over and continues from the shared state.
            var holder = Lease(first).IsHeld ? first : second;
            var survivor = holder == first ? second : first;
            running.Remove(holder);
            await holder.DisposeAsync();
            Assert.False(Lease(survivor).IsHeld);
            await EvaluateOnAllAsync(running, rounds: 2);
            Assert.True(Lease(survivor).IsHeld, "the remaining instance took the lease over");
            Assert.Equal(1, Delivered(receiver));
            var stillOpen = Assert.Single(await survivor.Services.GetRequiredService<AlertMonitor>().OpenIncidentsAsync(Ct));
            Assert.Equal(open.Id, stillOpen.Id);
            Assert.Equal("teamledare-kc", stillOpen.AcknowledgedBy);

            // The queue clears: one "resolved" notification per channel, from the survivor.
            await Waiting(survivor, 3);
            await EvaluateOnAllAsync(running, rounds: 3);
            Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(Delivered(receiver) == 2 && sink.Messages.Count == 2), Patience, Ct),
                $"delivered: {Delivered(receiver)} webhook, {sink.Messages.Count} e-mail");
            await EvaluateOnAllAsync(running, rounds: 2);
            Assert.Equal(2, Delivered(receiver));
            Assert.Equal(2, sink.Messages.Count);
            var resolved = receiver.Requests.Last(r => r.Status == HttpStatusCode.OK);
            Assert.Equal("resolved", JsonDocument.Parse(resolved.Body).RootElement.GetProperty("event").GetString());
            Assert.Equal(2, receiver.Requests.Where(r => r.Status == HttpStatusCode.OK).Select(r => r.IdempotencyKey).Distinct().Count());
        }
        finally
        {
            foreach (var app in running)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TwoInstances_DecidingInstanceGoesWhileItsWebhookIsInFlight_TheOtherSendsItOnceUnderTheSameKey()
    {
        Requirements.Require(redis.Available, "redis-server", "apt-get install redis-server");
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        // The first request reaches the receiver and is never answered: the deciding instance goes while it waits.
        await using var receiver = new WebhookReceiver(holdFirst: true);
        File.WriteAllText(_rules, $$"""
            { "rules": [ { "id": "kc-queue", "name": "Kön byggs upp – Kontaktcenter Stockholm", "measure": "waiting",
                           "queue": "kc-stockholm", "condition": "above", "threshold": 10, "clear_threshold": 5,
                           "severity": "critical", "channels": ["hook"] } ],
              "channels": [ { "id": "hook", "kind": "webhook", "url": "{{receiver.Url}}" } ] }
            """);
        var time = TestClock.Frozen(TestClock.OrdinaryMorning);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["ConnectionStrings:Postgres"] = await postgres.CreateDatabaseAsync(),
            ["Aggregates:KeyPrefix"] = $"alerts:{Guid.NewGuid():N}:",
            ["Alerts:RulesFile"] = _rules,
            ["Alerts:Delivery:MaxAttempts"] = "1",
            ["Alerts:Delivery:AttemptTimeout"] = "00:10:00",
            ["Alerts:Delivery:ClaimFor"] = "00:01:00",
        };
        var first = new DriftvyAppFactory(settings, time);
        var second = new DriftvyAppFactory(settings, time);
        var running = new List<DriftvyAppFactory> { first, second };
        try
        {
            _ = first.Server;
            _ = second.Server;
            await Waiting(first, 14);
            await EvaluateOnAllAsync(running, rounds: 2);
            Assert.True(await Requirements.WaitUntilAsync(() => Task.FromResult(Requests(receiver).Count == 1), Patience, Ct), "the deciding instance's webhook reached the receiver");
            var key = Requests(receiver)[0].IdempotencyKey;

            // The instance that decided (and holds the lease) goes with the notification in flight, its outcome unrecorded.
            var decider = Lease(first).IsHeld ? first : second;
            var survivor = decider == first ? second : first;
            running.Remove(decider);
            await decider.DisposeAsync();
            var pending = Assert.Single(await survivor.Services.GetRequiredService<AlertStateStore>().NotificationsAsync(10, Ct));
            Assert.Equal("pending", pending.Status);

            // Within its claim nobody else sends it; once the claim has run out the survivor does, under the same key.
            var monitor = survivor.Services.GetRequiredService<AlertMonitor>();
            await monitor.ResendOverdueAsync(Ct);
            await Task.Delay(300, Ct);
            Assert.Single(Requests(receiver));
            time.Advance(TimeSpan.FromSeconds(61));
            await monitor.ResendOverdueAsync(Ct);
            await monitor.ResendOverdueAsync(Ct);
            // (Its clock moved a minute on, so the queue's snapshot went stale and a "resolved" may follow: only this key counts.)
            var store = survivor.Services.GetRequiredService<AlertStateStore>();
            Assert.True(await Requirements.WaitUntilAsync(async () => (await store.NotificationsAsync(10, Ct)).Single(n => n.Key == key).Status == "sent", Patience, Ct),
                "the survivor delivered the notification and recorded it");

            var sameKey = Requests(receiver).Where(r => r.IdempotencyKey == key).ToList();
            Assert.Equal([HttpStatusCode.RequestTimeout, HttpStatusCode.OK], sameKey.Select(r => r.Status));
            Assert.Equal(2, (await store.NotificationsAsync(10, Ct)).Single(n => n.Key == key).Claims);
        }
        finally
        {
            foreach (var app in running)
            {
                await app.DisposeAsync();
            }
        }
    }

    private static List<(HttpStatusCode Status, string Body, string? IdempotencyKey)> Requests(WebhookReceiver receiver)
    {
        lock (receiver.Requests)
        {
            return [.. receiver.Requests];
        }
    }

    private static int Delivered(WebhookReceiver receiver)
    {
        lock (receiver.Requests)
        {
            return receiver.Requests.Count(r => r.Status == HttpStatusCode.OK);
        }
    }

    private static AlertLease Lease(DriftvyAppFactory app) => app.Services.GetRequiredService<AlertLease>();

    private static async Task Waiting(DriftvyAppFactory app, int waiting) =>
        await app.Services.GetRequiredService<IAggregateStore>().ApplyAsync(
            AggregateBatch.OfSnapshots([new QueueSnapshot(app.Time.GetUtcNow(), "kc-stockholm", waiting, 95, 0, 30, 2)]), Ct);

    private static async Task EvaluateOnAllAsync(IReadOnlyList<DriftvyAppFactory> apps, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            await Task.WhenAll(apps.Select(a => a.Services.GetRequiredService<AlertMonitor>().EvaluateAsync(Ct)));
        }
    }

    public void Dispose() => File.Delete(_rules);
}
