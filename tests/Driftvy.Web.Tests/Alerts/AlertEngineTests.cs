using Driftvy.Web.Alerts;

namespace Driftvy.Web.Tests.Alerts;

public sealed class AlertEngineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1));

    // Äldre direkt queue building up: fire above 10 waiting held for 2 minutes, clear at 6 or fewer.
    private static readonly AlertRule QueueBuilding = new()
    {
        Id = "ad-queue",
        Name = "Kö byggs upp – Äldre direkt",
        Measure = AlertMeasure.Waiting,
        Queue = "aldre-direkt",
        Condition = AlertCondition.Above,
        Threshold = 10,
        ClearThreshold = 6,
        For = TimeSpan.FromMinutes(2),
        Severity = AlertSeverity.Critical,
        RenotifyEvery = TimeSpan.FromMinutes(10),
        RegroupWithin = TimeSpan.FromMinutes(30),
    };

    private static AlertSample Open(double value) => new(value, null, Active: true);

    [Fact]
    public void Observe_BreachShorterThanDuration_DoesNotFire()
    {
        var engine = new AlertEngine();

        Assert.Empty(engine.Observe(QueueBuilding, Open(12), T0));
        Assert.Empty(engine.Observe(QueueBuilding, Open(14), T0.AddSeconds(90)));
        Assert.Empty(engine.Observe(QueueBuilding, Open(4), T0.AddSeconds(110)));
        Assert.Empty(engine.Observe(QueueBuilding, Open(12), T0.AddSeconds(150)));

        Assert.Empty(engine.OpenIncidents());
    }

    [Fact]
    public void Observe_BreachHeldForDuration_FiresOnceAndNotifies()
    {
        var engine = new AlertEngine();
        engine.Observe(QueueBuilding, Open(12), T0);

        var events = engine.Observe(QueueBuilding, Open(13), T0.AddMinutes(2));

        var fired = Assert.Single(events);
        Assert.Equal(AlertEventKind.Fired, fired.Kind);
        Assert.True(fired.Notify);
        Assert.Equal(13, fired.Incident.Value);
        Assert.Empty(engine.Observe(QueueBuilding, Open(15), T0.AddMinutes(3)));
    }

    [Fact]
    public void Observe_DurationCountsFromTheSamplesOwnTime_AndNextDueSaysWhenItWillHaveHeld()
    {
        var engine = new AlertEngine();
        var rule = QueueBuilding with { For = TimeSpan.FromSeconds(20) };

        // The snapshot was taken 4 s before this evaluation came round.
        Assert.Empty(engine.Observe(rule, Open(12) with { At = T0.AddSeconds(-4) }, T0));
        Assert.Equal(T0.AddSeconds(16), engine.NextDue());
        Assert.Empty(engine.Observe(rule, Open(12), T0.AddSeconds(15)));
        var fired = Assert.Single(engine.Observe(rule, Open(12), T0.AddSeconds(16)));

        Assert.Equal(AlertEventKind.Fired, fired.Kind);
        Assert.Null(engine.NextDue());
    }

    [Fact]
    public void Observe_ValueBetweenClearAndFireThresholds_NeitherResolvesNorRefires()
    {
        var engine = new AlertEngine();
        engine.Observe(QueueBuilding, Open(12), T0);
        engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(2));

        // Hovering around the fire threshold (9–11) must not flap: it only clears at 6.
        for (var i = 0; i < 8; i++)
        {
            Assert.Empty(engine.Observe(QueueBuilding, Open(i % 2 == 0 ? 9 : 11), T0.AddMinutes(2).AddSeconds(5 * (i + 1))));
        }

        Assert.Single(engine.OpenIncidents());
        var resolved = Assert.Single(engine.Observe(QueueBuilding, Open(6), T0.AddMinutes(4)));
        Assert.Equal(AlertEventKind.Resolved, resolved.Kind);
        Assert.Empty(engine.OpenIncidents());
    }

    [Fact]
    public void Observe_OutsideActiveHours_StaysSilentAndResolvesAFiringAlert()
    {
        var engine = new AlertEngine();
        var closed = new AlertSample(30, null, Active: false);

        Assert.Empty(engine.Observe(QueueBuilding, closed, T0));
        Assert.Empty(engine.Observe(QueueBuilding, closed, T0.AddMinutes(10)));
        Assert.Empty(engine.OpenIncidents());

        engine.Observe(QueueBuilding, Open(30), T0.AddMinutes(20));
        engine.Observe(QueueBuilding, Open(30), T0.AddMinutes(22));
        Assert.Single(engine.OpenIncidents());
        var events = engine.Observe(QueueBuilding, closed, T0.AddMinutes(23));
        Assert.Equal(AlertEventKind.Resolved, Assert.Single(events).Kind);
    }

    [Fact]
    public void Acknowledge_FiringAlert_StopsReminders()
    {
        var engine = new AlertEngine();
        engine.Observe(QueueBuilding, Open(12), T0);
        var incident = Assert.Single(engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(2))).Incident;

        var reminder = Assert.Single(engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(12)));
        Assert.Equal(AlertEventKind.Reminder, reminder.Kind);

        var ack = engine.Acknowledge(incident.Id, "teamledare-ad", "Extra personal inkallad", T0.AddMinutes(13));
        Assert.NotNull(ack);
        Assert.Empty(engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(30)));
        Assert.Empty(engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(60)));
        Assert.Equal("Extra personal inkallad", incident.AcknowledgeComment);
    }

    [Fact]
    public void Observe_RefireWithinRegroupWindow_ReopensTheSameIncidentWithoutNewNotification()
    {
        var engine = new AlertEngine();
        engine.Observe(QueueBuilding, Open(12), T0);
        var first = Assert.Single(engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(2))).Incident;
        engine.Observe(QueueBuilding, Open(3), T0.AddMinutes(5));

        engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(8));
        var refire = Assert.Single(engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(10)));

        Assert.Equal(AlertEventKind.Refired, refire.Kind);
        Assert.Same(first, refire.Incident);
        Assert.Equal(1, first.Refires);
        Assert.False(refire.Notify);
        Assert.True(first.IsOpen);
    }

    [Fact]
    public void Observe_RefireAfterAnAcknowledgedIncidentResolved_OpensANewIncidentToAcknowledge()
    {
        var engine = new AlertEngine();
        engine.Observe(QueueBuilding, Open(12), T0);
        var first = Assert.Single(engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(2))).Incident;
        engine.Acknowledge(first.Id, "teamledare-ad", null, T0.AddMinutes(3));
        engine.Observe(QueueBuilding, Open(3), T0.AddMinutes(5));

        // Three minutes after it resolved the queue builds up again.
        engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(8));
        var again = Assert.Single(engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(10)));

        Assert.Equal(AlertEventKind.Fired, again.Kind);
        Assert.True(again.Notify);
        Assert.NotEqual(first.Id, again.Incident.Id);
        Assert.Null(again.Incident.AcknowledgedAt);
        Assert.Equal("teamledare-ad", first.AcknowledgedBy);
        Assert.NotNull(first.ResolvedAt);
        // Unacknowledged, so its reminders run again.
        Assert.Equal(AlertEventKind.Reminder, Assert.Single(engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(20))).Kind);
    }

    [Fact]
    public void Observe_RefireAfterRegroupWindow_OpensANewIncident()
    {
        var engine = new AlertEngine();
        engine.Observe(QueueBuilding, Open(12), T0);
        var first = Assert.Single(engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(2))).Incident;
        engine.Observe(QueueBuilding, Open(3), T0.AddMinutes(5));

        engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(50));
        var second = Assert.Single(engine.Observe(QueueBuilding, Open(12), T0.AddMinutes(52)));

        Assert.Equal(AlertEventKind.Fired, second.Kind);
        Assert.NotSame(first, second.Incident);
    }

    [Fact]
    public void Observe_NoData_IsNotAnAlarm()
    {
        var engine = new AlertEngine();

        Assert.Empty(engine.Observe(QueueBuilding, new AlertSample(null, null, true), T0));
        Assert.Empty(engine.Observe(QueueBuilding, new AlertSample(null, null, true), T0.AddMinutes(5)));
    }

    [Fact]
    public void Observe_OffTargetRule_FollowsTheEnginesJudgement()
    {
        var rule = QueueBuilding with { Id = "sl", Measure = AlertMeasure.Kpi, Kpi = "kc_answered_within_1_min", Condition = AlertCondition.OffTarget, Threshold = null, ClearThreshold = null, For = TimeSpan.FromMinutes(1) };
        var engine = new AlertEngine();

        engine.Observe(rule, new AlertSample(70, Breached: true, Active: true), T0);
        Assert.Equal(AlertEventKind.Fired, Assert.Single(engine.Observe(rule, new AlertSample(71, true, true), T0.AddMinutes(1))).Kind);
        Assert.Equal(AlertEventKind.Resolved, Assert.Single(engine.Observe(rule, new AlertSample(86, false, true), T0.AddMinutes(2))).Kind);
    }
}
