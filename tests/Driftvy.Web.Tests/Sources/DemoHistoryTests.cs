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
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
