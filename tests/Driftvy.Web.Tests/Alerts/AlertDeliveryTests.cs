using System.Net;
using System.Text.Json;
using Driftvy.Web.Alerts;
using Driftvy.Web.Alerts.Delivery;
using Driftvy.Web.Alerts.State;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Driftvy.Web.Tests.Alerts;

/// <summary>Delivery to receivers the test starts on 127.0.0.1.</summary>
public sealed class AlertDeliveryTests : IDisposable
{
    private readonly string _rules = Path.Combine(Path.GetTempPath(), $"driftvy-alerts-{Guid.NewGuid():N}.json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> FastRetries(string? rulesFile = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Alerts:Delivery:InitialBackoff"] = "00:00:00.050",
            ["Alerts:Delivery:MaxAttempts"] = "4",
        };
        if (rulesFile is not null)
        {
            settings["Alerts:RulesFile"] = rulesFile;
        }

        return settings;
    }

    private static readonly AlertRule QueueRule = new()
    {
        Id = "ad-queue",
        Name = "Kön till Äldre direkt byggs upp",
        Measure = AlertMeasure.Waiting,
        Queue = "aldre-direkt",
        Condition = AlertCondition.Above,
        Threshold = 8,
        Severity = AlertSeverity.Critical,
        Channels = ["hook"],
    };

    private static NotificationWork Work(AlertChannelDefinition channel)
    {
        var alert = new AlertEvent(AlertEventKind.Fired, new AlertIncident
        {
            Id = Guid.NewGuid(),
            Rule = QueueRule with { Channels = [channel.Id] },
            FiredAt = TestClock.OrdinaryMorning,
            LastNotifiedAt = TestClock.OrdinaryMorning,
            Value = 14,
        }, Notify: true);
        return new NotificationWork(NotificationKey.For(alert, channel.Id), alert, channel);
    }

    [Fact]
    public async Task Deliver_ReceiverFailsTwiceThenSucceeds_DeliveredOnceWithOneKey()
    {
        await using var receiver = new WebhookReceiver(failFirst: 2);
        await using var app = new DriftvyAppFactory(FastRetries());
        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();
        var work = Work(new AlertChannelDefinition("hook", "webhook", receiver.Url.ToString()));

        var ok = await dispatcher.DeliverAsync(work, Ct);

        Assert.True(ok);
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal(1, receiver.Requests.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal([work.Key], receiver.Requests.Select(r => r.IdempotencyKey).Distinct());
        var body = JsonDocument.Parse(receiver.Requests[^1].Body).RootElement;
        Assert.Equal("fired", body.GetProperty("event").GetString());
        Assert.Equal(work.Key, body.GetProperty("idempotencyKey").GetString());
        Assert.Equal("aldre-direkt", body.GetProperty("alert").GetProperty("queue").GetString());
    }

    [Fact]
    public async Task Deliver_TeamsChannel_SendsAMessageCard()
    {
        await using var receiver = new WebhookReceiver();
        await using var app = new DriftvyAppFactory(FastRetries());
        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();

        await dispatcher.DeliverAsync(Work(new AlertChannelDefinition("teams", "teams", receiver.Url.ToString())), Ct);

        var card = JsonDocument.Parse(Assert.Single(receiver.Requests).Body).RootElement;
        Assert.Equal("MessageCard", card.GetProperty("@type").GetString());
        Assert.Contains("Äldre direkt", card.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal("D55E00", card.GetProperty("themeColor").GetString());
    }

    [Fact]
    public async Task Deliver_ChannelThatKeepsFailing_RaisesItsOwnAlertOnEveryInstancesView()
    {
        await using var receiver = new WebhookReceiver(failFirst: 100);
        await using var app = new DriftvyAppFactory(FastRetries());
        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();

        var ok = await dispatcher.DeliverAsync(Work(new AlertChannelDefinition("hook", "webhook", receiver.Url.ToString())), Ct);

        Assert.False(ok);
        Assert.Equal(4, receiver.Requests.Count);
        var open = await app.Services.GetRequiredService<AlertMonitor>().OpenIncidentsAsync(Ct);
        Assert.Contains(open, i => i.Rule.Id == "builtin:channel-failing:hook");
    }

    [Theory]
    [InlineData("webhook", "http//127.0.0.1 hook")]
    [InlineData("teams", "ftp://127.0.0.1/hook")]
    [InlineData("webhook", "/relative/hook")]
    public async Task Deliver_MalformedUrl_IsLoggedAndRaisesTheChannelAlert(string kind, string url)
    {
        var logs = new LogCapture();
        await using var app = new DriftvyAppFactory(FastRetries(), services: logs.AddTo);
        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();

        var ok = await dispatcher.DeliverAsync(Work(new AlertChannelDefinition("broken", kind, url)), Ct);

        Assert.False(ok);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Error && l.Message.Contains("broken", StringComparison.Ordinal) && l.Message.Contains("malformed webhook url", StringComparison.Ordinal));
        var open = await app.Services.GetRequiredService<AlertMonitor>().OpenIncidentsAsync(Ct);
        Assert.Contains(open, i => i.Rule.Id == "builtin:channel-failing:broken");
    }

    [Theory]
    [InlineData("driftvy@example.org", "inte en adress")]
    [InlineData("driftvy@example.org", "a@example.org, b@example.org")]
    [InlineData("avsändare", "teamledare@example.org")]
    public async Task Deliver_MalformedAddress_IsLoggedRaisesTheChannelAlertAndSendsNothing(string from, string to)
    {
        var logs = new LogCapture();
        await using var sink = new SmtpSink();
        await using var app = new DriftvyAppFactory(FastRetries(), services: logs.AddTo);
        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();

        var ok = await dispatcher.DeliverAsync(Work(new AlertChannelDefinition("mail", "email", SmtpHost: "127.0.0.1", SmtpPort: sink.Port, From: from, To: [to])), Ct);

        Assert.False(ok);
        Assert.Empty(sink.Messages);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Error && l.Message.Contains("malformed e-mail address", StringComparison.Ordinal));
        Assert.Contains(await app.Services.GetRequiredService<AlertMonitor>().OpenIncidentsAsync(Ct), i => i.Rule.Id == "builtin:channel-failing:mail");
    }

    [Fact]
    public async Task Deliver_EmailChannel_ReachesTheSmtpServerOnceWithItsKey()
    {
        await using var sink = new SmtpSink();
        await using var app = new DriftvyAppFactory(FastRetries());
        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();
        var work = Work(new AlertChannelDefinition("mail", "email", SmtpHost: "127.0.0.1", SmtpPort: sink.Port, From: "driftvy@example.org", To: ["teamledare@example.org"]));

        var ok = await dispatcher.DeliverAsync(work, Ct);

        Assert.True(ok);
        var message = Assert.Single(sink.Messages);
        Assert.Contains("teamledare@example.org", message, StringComparison.Ordinal);
        Assert.Contains("X-Driftvy-Idempotency-Key: " + work.Key, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_SameConditionAgainAndAfterARestart_NotifiesOnceAndRecordsItSent()
    {
        await using var receiver = new WebhookReceiver(failFirst: 1);
        File.WriteAllText(_rules, $$"""
            { "rules": [], "channels": [ { "id": "hook", "kind": "webhook", "url": "{{receiver.Url}}" } ] }
            """);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "driftvy-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            string key;
            await using (var app = new DriftvyAppFactory(FastRetries(_rules), dataDirectory: dataDirectory))
            {
                _ = app.Server;
                var monitor = app.Services.GetRequiredService<AlertMonitor>();
                var store = app.Services.GetRequiredService<AlertStateStore>();
                await monitor.ReportAsync(QueueRule, breached: true, 14, Ct);
                await monitor.ReportAsync(QueueRule, breached: true, 15, Ct);

                Assert.True(await Requirements.WaitUntilAsync(
                    async () => (await store.NotificationsAsync(10, Ct)).Any(n => n.Status == NotificationStatus.Sent), TimeSpan.FromSeconds(20), Ct));
                var row = Assert.Single(await store.NotificationsAsync(10, Ct));
                key = row.Key;
                Assert.Equal("fired", row.Kind);
                Assert.Equal("hook", row.Channel);
            }

            // A restart continues from the stored incident: the condition still holds, nothing new is sent.
            await using (var again = new DriftvyAppFactory(FastRetries(_rules), dataDirectory: dataDirectory))
            {
                _ = again.Server;
                await again.Services.GetRequiredService<AlertMonitor>().ReportAsync(QueueRule, breached: true, 16, Ct);
                var open = Assert.Single(await again.Services.GetRequiredService<AlertMonitor>().OpenIncidentsAsync(Ct), i => i.Rule.Id == QueueRule.Id);
                Assert.Equal(16, open.Value);
                Assert.Single(await again.Services.GetRequiredService<AlertStateStore>().NotificationsAsync(10, Ct));
            }

            // Two attempts (the receiver refused the first), one delivery, one key throughout.
            Assert.Equal(2, receiver.Requests.Count);
            Assert.Equal(1, receiver.Requests.Count(r => r.Status == HttpStatusCode.OK));
            Assert.Equal([key], receiver.Requests.Select(r => r.IdempotencyKey).Distinct());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    public void Dispose() => File.Delete(_rules);
}
