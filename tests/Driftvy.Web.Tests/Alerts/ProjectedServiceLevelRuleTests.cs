using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Alerts;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Alerts;

/// <summary>The rule kind "projected to miss today's target": the staffing need's end-of-day projection against the target.</summary>
public sealed class ProjectedServiceLevelRuleTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestClock.OrdinaryMorning;
    private readonly string _rules = Path.Combine(Path.GetTempPath(), $"driftvy-alerts-{Guid.NewGuid():N}.json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProjectedToMiss_TooFewAgentsForTheRestOfTheDay_FiresAndClearsWhenAgentsLogIn()
    {
        File.WriteAllText(_rules, """
            { "rules": [ { "id": "kc-projected", "name": "Dagens mål nås inte med nuvarande bemanning – Kontaktcenter Stockholm",
                           "measure": "projected_service_level", "queue": "kc-stockholm", "condition": "off_target", "channels": ["log"] } ],
              "channels": [ { "id": "log", "kind": "log" } ] }
            """);
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Alerts:RulesFile"] = _rules }, time: TestClock.Frozen(Now));
        _ = app.Server;
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        // Today 08:00–10:24: 145 calls, one a minute, every other one answered after 2 minutes: 73 of 145 in time so far.
        var start = StockholmTime.ToUtc(new DateOnly(2026, 10, 15), new TimeOnly(8, 0));
        var calls = Enumerable.Range(0, 145).Select(i =>
        {
            var offered = start.AddMinutes(i);
            var wait = i % 2 == 0 ? 10 : 120;
            return new ContactRecord($"c{i}", Channel.Phone, "kc-stockholm", offered, offered.AddSeconds(wait), null, offered.AddSeconds(wait + 180), true);
        }).ToList();
        await app.Services.GetRequiredService<IContactFactStore>().AddNewAsync("test", calls, Ct);
        await app.Services.GetRequiredService<AggregateCatchUp>().CatchUpAsync(Ct);
        var store = app.Services.GetRequiredService<IAggregateStore>();
        var monitor = app.Services.GetRequiredService<AlertMonitor>();
        var engine = app.Services.GetRequiredService<AlertEngine>();

        // One agent answering for a call a minute at 3 minutes each: the rest of the day goes unanswered in time.
        await store.ApplyAsync(AggregateBatch.OfSnapshots([new QueueSnapshot(Now, "kc-stockholm", 4, 100, 0, 1, 0)]), Ct);
        await monitor.EvaluateAsync(Ct);
        var incident = Assert.Single(engine.OpenIncidents(), i => i.Rule.Id == "kc-projected");
        Assert.InRange(incident.Value!.Value, 0, 85);

        // Forty agents answer nearly every call to come in time: (73 + the rest) ÷ (145 + the rest) is above 85 %.
        await store.ApplyAsync(AggregateBatch.OfSnapshots([new QueueSnapshot(Now, "kc-stockholm", 0, 0, 30, 10, 0)]), Ct);
        await monitor.EvaluateAsync(Ct);
        Assert.DoesNotContain(engine.OpenIncidents(), i => i.Rule.Id == "kc-projected");
        Assert.NotNull(incident.ResolvedAt);
        Assert.InRange(incident.Value!.Value, 85, 100);
    }

    [Fact]
    public void Parse_ProjectionRuleWithoutQueue_NamesTheField()
    {
        var ex = Assert.Throws<InvalidDataException>(() => AlertRuleSet.Parse(
            """{ "rules": [ { "id": "a", "name": "n", "measure": "projected_service_level", "condition": "off_target" } ] }""",
            "alerts.json", new HashSet<string> { "kc-stockholm" }, new HashSet<string>()));

        Assert.Contains("$.rules[0].queue", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_rules);
}
