using System.Text;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Alerts;
using Driftvy.Web.Sources;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Driftvy.Web.Tests.Alerts;

/// <summary>The monitor in the running host: built-in rules and team rules measured from real data.</summary>
public sealed class AlertMonitorTests : IDisposable
{
    private readonly string _rules = Path.Combine(Path.GetTempPath(), $"driftvy-alerts-{Guid.NewGuid():N}.json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_Rejected_RaisesAnAlertThatTheNextCommittedImportClears()
    {
        await using var app = new DriftvyAppFactory();
        _ = app.Server;
        var imports = app.Services.GetRequiredService<ImportService>();
        var engine = app.Services.GetRequiredService<AlertEngine>();

        var bad = await imports.ImportAsync(new ImportRequest(IngestKind.Volumes, "agresso", "bad.csv"), Encoding.UTF8.GetBytes("date,team,kind,count\n2026-11-02,lr,supplier_invoice,-5\n"), null, Ct);
        var raised = Assert.Single(engine.OpenIncidents(), i => i.Rule.Id == "builtin:import-rejected:agresso");
        Assert.Equal(1, raised.Value);
        var good = await imports.ImportAsync(new ImportRequest(IngestKind.Volumes, "agresso", "good.csv"), Encoding.UTF8.GetBytes("date,team,kind,count\n2026-11-02,lr,supplier_invoice,412\n"), null, Ct);

        Assert.False(bad.Committed);
        Assert.True(good.Committed);
        Assert.DoesNotContain(engine.OpenIncidents(), i => i.Rule.Id == "builtin:import-rejected:agresso");
        Assert.NotNull(raised.ResolvedAt);
    }

    [Fact]
    public async Task TeamRule_Waiting_IsTheSumOfTheTeamsQueues()
    {
        File.WriteAllText(_rules, """
            { "rules": [ { "id": "kc-team", "name": "Många väntar i kontaktcentret", "measure": "waiting", "team": "kc",
                           "condition": "above", "threshold": 10, "clear_threshold": 4, "channels": ["log"] } ],
              "channels": [ { "id": "log", "kind": "log" } ] }
            """);
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Alerts:RulesFile"] = _rules });
        _ = app.Server;
        var store = app.Services.GetRequiredService<IAggregateStore>();
        var monitor = app.Services.GetRequiredService<AlertMonitor>();
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        // 6 + 3 waiting: each queue alone and both together stay under 10.
        await store.ApplyAsync(AggregateBatch.OfSnapshots([new QueueSnapshot(now, "kc-stockholm", 6, 40, 0, 20, 2), new QueueSnapshot(now, "aldre-direkt", 3, 20, 0, 8, 1)]), Ct);
        await monitor.EvaluateAsync(Ct);
        Assert.DoesNotContain(app.Services.GetRequiredService<AlertEngine>().OpenIncidents(), i => i.Rule.Id == "kc-team");

        // 7 + 5 = 12 waiting: the team is over 10 although neither queue is.
        await store.ApplyAsync(AggregateBatch.OfSnapshots([new QueueSnapshot(now, "kc-stockholm", 7, 40, 0, 20, 2), new QueueSnapshot(now, "aldre-direkt", 5, 20, 0, 8, 1)]), Ct);
        await monitor.EvaluateAsync(Ct);
        var incident = Assert.Single(app.Services.GetRequiredService<AlertEngine>().OpenIncidents(), i => i.Rule.Id == "kc-team");
        Assert.Equal(12, incident.Value);
    }

    [Fact]
    public async Task SilentSource_NightlyPushAndAPoller_EachJudgedByItsOwnCadence()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Sources:Cadence:Sources:case-api"] = "00:02:00" }, clock);
        _ = app.Server;
        var health = app.Services.GetRequiredService<SourceHealth>();
        var monitor = app.Services.GetRequiredService<AlertMonitor>();
        var engine = app.Services.GetRequiredService<AlertEngine>();

        // A history batch pushed once, and a poller expected every two minutes.
        health.RecordIngest("ekonomi-historik", "push", clock.GetUtcNow(), 5000, 0, null, null);
        health.RecordIngest("case-api", "http-poll", clock.GetUtcNow(), 12, 0, null, null);
        clock.Advance(TimeSpan.FromMinutes(3));
        await monitor.EvaluateAsync(Ct);

        // The push is minutes old, well within its working day; the poller is a minute late.
        Assert.DoesNotContain(engine.OpenIncidents(), i => i.Rule.Id == "builtin:source-silent:ekonomi-historik");
        var late = Assert.Single(engine.OpenIncidents(), i => i.Rule.Id == "builtin:source-silent:case-api");
        Assert.Equal(180, late.Value);

        // Its next delivery resolves it.
        health.RecordIngest("case-api", "http-poll", clock.GetUtcNow(), 3, 0, null, null);
        await monitor.EvaluateAsync(Ct);
        Assert.DoesNotContain(engine.OpenIncidents(), i => i.Rule.Id == "builtin:source-silent:case-api");
    }

    [Fact]
    public async Task Rule_WithADuration_FiresWhenTheDurationHasPassedWithoutWaitingForTheNextTick()
    {
        File.WriteAllText(_rules, """
            { "rules": [ { "id": "ad-queue", "name": "Kö byggs upp – Äldre direkt", "measure": "waiting", "queue": "aldre-direkt",
                           "condition": "above", "threshold": 10, "clear_threshold": 6, "for": "00:00:20", "channels": ["log"] } ],
              "channels": [ { "id": "log", "kind": "log" } ] }
            """);
        // A Tuesday morning, the queue open; the timer tick and the poll far apart, so only the due time can fire it.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        await using var app = new DriftvyAppFactory(
            new Dictionary<string, string?> { ["Alerts:RulesFile"] = _rules, ["Alerts:EvaluateEvery"] = "00:10:00", ["Sources:Telephony:PollInterval"] = "00:00:30" }, clock);
        _ = app.Server;
        var store = app.Services.GetRequiredService<IAggregateStore>();
        var monitor = app.Services.GetRequiredService<AlertMonitor>();
        var engine = app.Services.GetRequiredService<AlertEngine>();

        await store.ApplyAsync(AggregateBatch.OfSnapshots([new QueueSnapshot(clock.GetUtcNow(), "aldre-direkt", 14, 200, 0, 8, 1)]), Ct);
        await monitor.EvaluateAsync(Ct);
        clock.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(200, Ct);
        Assert.DoesNotContain(engine.OpenIncidents(), i => i.Rule.Id == "ad-queue");

        clock.Advance(TimeSpan.FromSeconds(1));
        await Requirements.WaitUntilAsync(() => Task.FromResult(engine.OpenIncidents().Any(i => i.Rule.Id == "ad-queue")), TimeSpan.FromSeconds(10), Ct);

        var incident = Assert.Single(engine.OpenIncidents(), i => i.Rule.Id == "ad-queue");
        Assert.Equal(clock.GetUtcNow(), incident.FiredAt);
    }

    public void Dispose() => File.Delete(_rules);
}
