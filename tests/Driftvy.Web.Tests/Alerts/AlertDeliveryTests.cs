using System.Text.Json;
using Driftvy.Web.Alerts;
using Driftvy.Web.Alerts.Delivery;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Alerts;

/// <summary>Delivery to receivers the test starts on 127.0.0.1.</summary>
public sealed class AlertDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Alerts:Delivery:InitialBackoff"] = "00:00:00.050",
        ["Alerts:Delivery:MaxAttempts"] = "4",
    };

    private static AlertEvent Fired(string channel) => new(AlertEventKind.Fired, new AlertIncident
    {
        Id = Guid.NewGuid(),
        Rule = new AlertRule
        {
            Id = "ad-queue",
            Name = "Kön till Äldre direkt byggs upp",
            Measure = AlertMeasure.Waiting,
            Queue = "aldre-direkt",
            Condition = AlertCondition.Above,
            Threshold = 8,
            Severity = AlertSeverity.Critical,
            Channels = [channel],
        },
        FiredAt = DateTimeOffset.UnixEpoch.AddYears(56),
        Value = 14,
    }, Notify: true);

    [Fact]
    public async Task Deliver_ReceiverFailsTwiceThenSucceeds_DeliveredOnceAfterThreeAttempts()
    {
        await using var receiver = new WebhookReceiver(failFirst: 2);
        await using var app = new DriftvyAppFactory(FastRetries);
        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();

        var ok = await dispatcher.DeliverWithRetriesAsync(Fired("hook"), new AlertChannelDefinition("hook", "webhook", receiver.Url.ToString()), Ct);

        Assert.True(ok);
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal(1, receiver.Requests.Count(r => r.Status == System.Net.HttpStatusCode.OK));
        Assert.Single(receiver.Requests.Select(r => r.IdempotencyKey).Distinct());
        var body = JsonDocument.Parse(receiver.Requests[^1].Body).RootElement;
        Assert.Equal("fired", body.GetProperty("event").GetString());
        Assert.Equal("aldre-direkt", body.GetProperty("alert").GetProperty("queue").GetString());
    }

    [Fact]
    public async Task Deliver_TeamsChannel_SendsAMessageCard()
    {
        await using var receiver = new WebhookReceiver();
        await using var app = new DriftvyAppFactory(FastRetries);
        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();

        await dispatcher.DeliverWithRetriesAsync(Fired("teams"), new AlertChannelDefinition("teams", "teams", receiver.Url.ToString()), Ct);

        var card = JsonDocument.Parse(Assert.Single(receiver.Requests).Body).RootElement;
        Assert.Equal("MessageCard", card.GetProperty("@type").GetString());
        Assert.Contains("Äldre direkt", card.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal("D55E00", card.GetProperty("themeColor").GetString());
    }

    [Fact]
    public async Task Deliver_ChannelThatKeepsFailing_RaisesItsOwnAlert()
    {
        await using var receiver = new WebhookReceiver(failFirst: 100);
        await using var app = new DriftvyAppFactory(FastRetries);
        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();

        var ok = await dispatcher.DeliverWithRetriesAsync(Fired("hook"), new AlertChannelDefinition("hook", "webhook", receiver.Url.ToString()), Ct);

        Assert.False(ok);
        Assert.Equal(4, receiver.Requests.Count);
        var open = app.Services.GetRequiredService<AlertEngine>().OpenIncidents();
        Assert.Contains(open, i => i.Rule.Id == "builtin:channel-failing:hook");
    }

    [Fact]
    public async Task Deliver_EmailChannel_ReachesTheSmtpServer()
    {
        await using var sink = new SmtpSink();
        await using var app = new DriftvyAppFactory(FastRetries);
        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();

        var ok = await dispatcher.DeliverWithRetriesAsync(
            Fired("mail"), new AlertChannelDefinition("mail", "email", SmtpHost: "127.0.0.1", SmtpPort: sink.Port, From: "driftvy@example.org", To: ["teamledare@example.org"]), Ct);

        Assert.True(ok);
        var message = Assert.Single(sink.Messages);
        Assert.Contains("teamledare@example.org", message, StringComparison.Ordinal);
    }
}
