using Driftvy.Web.Alerts;
using Driftvy.Web.Alerts.Delivery;
using Driftvy.Web.Alerts.State;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Alerts;

/// <summary>
/// The shared alert state's guard: two evaluations that read the same version (two instances that both believed they
/// held the lease) cannot both store their conclusion, so the notification they both decided is recorded once.
/// </summary>
public sealed class AlertStateStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly AlertRule Rule = new()
    {
        Id = "kc-queue",
        Name = "Kön byggs upp – Kontaktcenter Stockholm",
        Measure = AlertMeasure.Waiting,
        Queue = "kc-stockholm",
        Condition = AlertCondition.Above,
        Threshold = 10,
        Channels = ["hook"],
    };

    private static readonly AlertChannelDefinition Hook = new("hook", "webhook", "http://127.0.0.1:9/hook");

    /// <summary>What one instance concludes from reading version 0: the rule fires now.</summary>
    private static (AlertRuleState State, AlertEvent Fired, NotificationWork Work) Fires(DateTimeOffset at)
    {
        var engine = new AlertEngine();
        var fired = Assert.Single(engine.Observe(Rule, new AlertSample(14, null, true), at));
        var state = Assert.Single(engine.Export([Rule.Id]));
        return (state, fired, new NotificationWork(NotificationKey.For(fired, Hook.Id), fired, Hook));
    }

    [Fact]
    public async Task Commit_TwoConclusionsFromTheSameVersion_OnlyTheFirstIsStored()
    {
        await using var app = new DriftvyAppFactory();
        _ = app.Server;
        var store = app.Services.GetRequiredService<AlertStateStore>();
        var a = Fires(TestClock.OrdinaryMorning);
        var b = Fires(TestClock.OrdinaryMorning.AddMilliseconds(300));

        var stored = await store.CommitAsync([a.State], [a.Fired.Incident], [a.Work], Claim("first", TestClock.OrdinaryMorning), Ct);
        await Assert.ThrowsAsync<AlertStateConflictException>(() => store.CommitAsync([b.State], [b.Fired.Incident], [b.Work], Claim("second", TestClock.OrdinaryMorning), Ct));

        Assert.Equal([a.Work.Key], stored.NewNotifications);
        var row = Assert.Single(await store.NotificationsAsync(10, Ct));
        Assert.Equal(a.Work.Key, row.Key);
        Assert.Equal(NotificationStatus.Pending, row.Status);
        var open = Assert.Single(await store.OpenIncidentsAsync(Ct));
        Assert.Equal(a.Fired.Incident.Id, open.Id);
    }

    [Fact]
    public async Task ClaimOverdue_DecidedByAnInstanceThatDied_IsTakenOverOnceAfterItsClaimRanOut()
    {
        await using var app = new DriftvyAppFactory();
        _ = app.Server;
        var store = app.Services.GetRequiredService<AlertStateStore>();
        var a = Fires(TestClock.OrdinaryMorning);
        await store.CommitAsync([a.State], [a.Fired.Incident], [a.Work], Claim("died", TestClock.OrdinaryMorning), Ct);

        // While the deciding instance's claim stands, nobody else sends it.
        Assert.Empty(await store.ClaimOverdueAsync(Claim("survivor", TestClock.OrdinaryMorning.AddMinutes(4)), 10, Ct));

        // Its claim ran out without a recorded outcome: exactly one of two instances asking at once takes it over.
        var later = TestClock.OrdinaryMorning.AddMinutes(6);
        var takes = await Task.WhenAll(store.ClaimOverdueAsync(Claim("survivor", later), 10, Ct), store.ClaimOverdueAsync(Claim("other", later), 10, Ct));
        var (key, channel, alert) = Assert.Single(takes.SelectMany(t => t));
        Assert.Equal(a.Work.Key, key);
        Assert.Equal(a.Work.Channel.Id, channel);
        Assert.Equal(AlertEventKind.Fired, alert.Kind);
        Assert.Equal(a.Fired.Incident.Id, alert.Incident.Id);
        Assert.Equal(a.Fired.Incident.Rule with { Channels = [] }, alert.Incident.Rule with { Channels = [] });
        Assert.Equal(a.Fired.Incident.Rule.Channels, alert.Incident.Rule.Channels);
        var row = Assert.Single(await store.NotificationsAsync(10, Ct));
        Assert.Equal(2, row.Claims);

        // Once its outcome is recorded it is never taken again.
        await store.FinishNotificationAsync(key, NotificationStatus.Sent, null, later, Ct);
        Assert.Empty(await store.ClaimOverdueAsync(Claim("survivor", later.AddHours(1)), 10, Ct));
    }

    private static NotificationClaim Claim(string by, DateTimeOffset at) => new(by, at, at.AddMinutes(5));

    [Fact]
    public async Task Commit_AfterAnAcknowledgementItDidNotRead_IsRefusedAndTheAcknowledgementStays()
    {
        await using var app = new DriftvyAppFactory();
        _ = app.Server;
        var store = app.Services.GetRequiredService<AlertStateStore>();
        var a = Fires(TestClock.OrdinaryMorning);
        var stored = await store.CommitAsync([a.State], [a.Fired.Incident], [a.Work], Claim("first", TestClock.OrdinaryMorning), Ct);
        var read = Assert.Single(stored.States);

        var acknowledged = await store.AcknowledgeAsync(a.Fired.Incident.Id, "teamledare-kc", "Vi tar det", TestClock.OrdinaryMorning.AddMinutes(1), Ct);
        // An evaluation that read the state before the acknowledgement: a new value, no acknowledgement.
        read.Incident!.Value = 16;
        await Assert.ThrowsAsync<AlertStateConflictException>(() => store.CommitAsync([read], [read.Incident], [], Claim("first", TestClock.OrdinaryMorning.AddMinutes(2)), Ct));

        Assert.NotNull(acknowledged);
        Assert.True(acknowledged.Version > read.Version);
        var open = Assert.Single(await store.OpenIncidentsAsync(Ct));
        Assert.Equal("teamledare-kc", open.AcknowledgedBy);
        Assert.Equal(14, open.Value);
        Assert.Null(await store.AcknowledgeAsync(Guid.NewGuid(), "teamledare-kc", null, TestClock.OrdinaryMorning, Ct));
    }
}
