using Driftvy.Web.History;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Sources.Simulator;
using Driftvy.Web.Steering;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Sources;

/// <summary>
/// The first run's past: simulated history through the import pipeline into an empty database, believable in its
/// seasons, and never into a database that holds data of its own.
/// </summary>
public sealed class DemoHistoryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("driftvy-demo-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Demo(int months) => new()
    {
        ["Storage:DataDirectory"] = _folder,
        ["Sources:Telephony:Enabled"] = "true",
        ["Sources:Simulator:Mode"] = "Demo",
        ["Sources:Simulator:HistoryMonths"] = months.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public void ContactsCsv_SeasonsHolidaysAndTroubledDays_LookLikeTheContactCentresYear()
    {
        var options = new SimulatorOptions();
        long Offered(DateOnly day, string queue = "kc-stockholm")
        {
            var rows = DemoHistory.ContactsCsv(options, day, day.AddDays(1), out _).Split('\n').Skip(1).Where(l => l.Length > 0);
            return rows.Count(r => r.Split(',')[2] == queue);
        }

        var julyTuesday = Offered(new DateOnly(2026, 7, 14));
        var augustTuesday = Offered(new DateOnly(2026, 8, 18));
        Assert.True(augustTuesday > julyTuesday * 2, $"August {augustTuesday} against July {julyTuesday}: the school start outruns the summer");
        Assert.Equal(0, Offered(new DateOnly(2026, 6, 19)));   // Midsommarafton: closed
        Assert.Equal(0, Offered(new DateOnly(2026, 10, 17)));  // a Saturday: closed
        Assert.True(Offered(new DateOnly(2026, 10, 12)) > Offered(new DateOnly(2026, 10, 16)), "Monday is busier than Friday");
    }

    [Fact]
    public async Task FirstStart_EmptyDatabase_WritesHistoryThatReportsAndSteeringRead()
    {
        await using var app = new DriftvyAppFactory(Demo(months: 2));
        _ = app.Server;
        var written = await app.Services.GetRequiredService<DemoHistory>().Finished.WaitAsync(TimeSpan.FromMinutes(2), Ct);

        Assert.True(written > 50_000, $"{written} contacts written");
        var first = await app.Services.GetRequiredService<IContactHistory>().FirstDayAsync(Ct);
        Assert.Equal(new DateOnly(2026, 8, 3), first); // 1 August 2026 is a Saturday: the queues open on Monday the 3rd
        Assert.True((await app.Services.GetRequiredService<HistoryVerifier>().VerifyAsync(new DateOnly(2026, 8, 1), Ct)).Consistent);
        Assert.Equal(["simulator"], await app.WithDbAsync(db => db.IngestBatches.Select(b => b.Source).Distinct().ToListAsync(Ct), Ct));

        // September's monthly report has a value in every contact-centre and back-office row fed by this history.
        using var client = app.CreateClient();
        var report = JsonReportWriter.Deserialize(await client.GetStringAsync("/api/reports/monthly/2026/9?format=json", Ct));
        foreach (var kpi in new[] { "kc_answered_within_1_min", "kc_answer_rate", "supplier_invoices_per_fte", "customer_invoices_per_fte", "salaries_per_fte_month", "lr_reminder_share", "case_within_promised_lead_time" })
        {
            Assert.Contains(report.Divisions.SelectMany(d => d.Rows), r => r.KpiId == kpi && r.Value is not null);
        }

        // The steering view's yesterday and month come from the history, not from today alone.
        var view = await app.Services.GetRequiredService<SteeringService>().BuildAsync(Domain.Calendar.StockholmTime.LocalDate(app.Time.GetUtcNow()), Ct);
        var offered = view.Queues.Single(q => q.Id == "kc-stockholm").Measures.Single(m => m.Measure == "offered");
        Assert.True(offered.Cells["yesterday"].Value > 0, "yesterday has calls");
        Assert.True(offered.Cells["month"].Value > offered.Cells["yesterday"].Value, "the month holds more than yesterday");
    }

    [Fact]
    public async Task Start_DatabaseWithRealData_WritesNoHistory()
    {
        await using (var before = IngestionTestHost.Create(new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder }))
        {
            var volume = await before.ImportTextAsync(IngestKind.Volumes, "date,team,kind,count\n2026-10-14,lr,supplier_invoice,410\n", Ct, source: "agresso");
            Assert.True(volume.Committed);
        }

        await using var app = new DriftvyAppFactory(Demo(months: 2), dataDirectory: _folder);
        _ = app.Server;

        Assert.Equal(0, await app.Services.GetRequiredService<DemoHistory>().Finished.WaitAsync(TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(["agresso"], await app.WithDbAsync(db => db.IngestBatches.Select(b => b.Source).Distinct().ToListAsync(Ct), Ct));
        Assert.Null(await app.Services.GetRequiredService<IContactHistory>().FirstDayAsync(Ct) is { } d && d < new DateOnly(2026, 10, 15) ? d : null);
        // Nor does the simulated back office's day move into it.
        Assert.Equal(0, await app.Services.GetRequiredService<BackOfficeSimulation>().PollOnceAsync(Ct));
        Assert.Equal(1, await app.WithDbAsync(db => db.Volumes.CountAsync(Ct), Ct));
    }

    [Fact]
    public void BackOfficeToday_AfternoonOfADay_AgreesWithTheHistoryAndGrowsTowardsTheWholeDay()
    {
        var day = new DateOnly(2026, 10, 15);
        var history = BackOfficeHistory.For(2026, new DateOnly(2026, 8, 1), day);
        var afternoon = BackOfficeHistory.Today(2026, Domain.Calendar.StockholmTime.ToUtc(day, new TimeOnly(14, 0)));
        var evening = BackOfficeHistory.Today(2026, Domain.Calendar.StockholmTime.ToUtc(day, new TimeOnly(18, 0)));
        static Dictionary<string, string[]> Cases(string csv) => csv.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToDictionary(f => f[0]);
        static long Supplier(string csv) => csv.Split('\n').Where(l => l.Contains(",lr,supplier_invoice,", StringComparison.Ordinal)).Sum(l => long.Parse(l.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture));

        var past = Cases(history.Cases);
        var today = Cases(afternoon.Cases);
        var repeated = today.Keys.Where(past.ContainsKey).ToList();
        Assert.NotEmpty(repeated);
        // A case the history left open is the same case today (same opening), now closed today.
        Assert.All(repeated, id => Assert.Equal(past[id][3], today[id][3]));
        Assert.All(repeated, id => Assert.Equal(string.Empty, past[id][4]));
        Assert.All(repeated, id => Assert.StartsWith("2026-10-15T", today[id][4], StringComparison.Ordinal));
        Assert.Contains(today.Values, c => c[3].StartsWith("2026-10-15T", StringComparison.Ordinal));
        Assert.All(today.Values, c => Assert.True(string.CompareOrdinal(c[3], "2026-10-15T14:00") < 0, $"{c[0]} opened {c[3]}, after 14:00"));
        Assert.InRange(Supplier(afternoon.Volumes), 1, Supplier(evening.Volumes) - 1);
        Assert.Equal(Supplier(BackOfficeHistory.For(2026, day, day.AddDays(1)).Volumes), Supplier(evening.Volumes));
    }

    [Fact]
    public async Task BackOfficeSimulation_DemoDay_CasesAndVolumesOfTodayComeInAndMoveOn()
    {
        var clock = TestClock.Frozen(TestClock.OrdinaryMorning);
        await using var app = new DriftvyAppFactory(Demo(months: 1), time: clock);
        _ = app.Server;
        await app.Services.GetRequiredService<DemoHistory>().Finished.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        var simulation = app.Services.GetRequiredService<BackOfficeSimulation>();
        var todayStart = Domain.Calendar.StockholmTime.StartOfDayUtc(new DateOnly(2026, 10, 15)).ToUnixTimeMilliseconds();
        async Task<(int Opened, int Closed, long Invoices)> TodayAsync() => await app.WithDbAsync(async db => (
            await db.Cases.CountAsync(c => c.OpenedAtMs >= todayStart, Ct),
            await db.Cases.CountAsync(c => c.ClosedAtMs >= todayStart, Ct),
            await db.Volumes.Where(v => v.Date == new DateOnly(2026, 10, 15) && v.Kind == "supplier_invoice").SumAsync(v => v.Count, Ct)), Ct);

        // The scheduled step may have come first (it starts with the host): either way the morning is in after this.
        await simulation.PollOnceAsync(Ct);
        var morning = await TodayAsync();
        var again = await simulation.PollOnceAsync(Ct);
        clock.Advance(TimeSpan.FromHours(4));
        await simulation.PollOnceAsync(Ct);
        var afternoon = await TodayAsync();

        Assert.Equal(0, again);
        Assert.True(morning.Opened > 0 && morning.Invoices > 0, $"{morning}");
        Assert.True(afternoon.Opened > morning.Opened && afternoon.Closed > morning.Closed && afternoon.Invoices > morning.Invoices, $"{morning} then {afternoon}");
        Assert.Equal(["simulator"], await app.WithDbAsync(db => db.IngestBatches.Select(b => b.Source).Distinct().ToListAsync(Ct), Ct));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
