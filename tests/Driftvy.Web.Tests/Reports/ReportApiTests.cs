using System.Net;
using System.Text.Json;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Kpis;
using Driftvy.Web.Reports;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Driftvy.Web.Tests.Reports;

/// <summary>The report API and service in the host, with the SQLite snapshot table and in-memory inputs.</summary>
public sealed class ReportApiTests
{
    private static (DriftvyAppFactory Root, Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> App, InMemoryReportInputs Inputs) Host(
        FakeTimeProvider time, IDictionary<string, string?>? settings = null)
    {
        var inputs = InMemoryReportInputs.Standard(ReportTestData.Kpis());
        var root = new DriftvyAppFactory(settings, time);
        var app = root.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.Replace(ServiceDescriptor.Singleton<IReportInputs>(inputs))));
        return (root, app, inputs);
    }

    private static void AddLateContacts(InMemoryReportInputs inputs)
    {
        // Fifty calls abandoned after two minutes on 1 June, arriving after T2 was frozen.
        var t = new ContactTally();
        var at = new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.FromHours(2));
        for (var i = 0; i < 50; i++)
        {
            t.Add(new ContactRecord($"late{i}", Channel.Phone, "kc-stockholm", at, null, at.AddSeconds(120), null, null));
        }

        inputs.Late.Add(new DailyTally("kc-stockholm", new DateOnly(2026, 6, 1), t));
    }

    [Fact]
    public async Task GetTertial_FinishedPeriod_FrozenOnFirstExportAndReproducedByteForByteAfterLateData()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 9, 15, 6, 0, 0, TimeSpan.Zero));
        var (root, app, inputs) = Host(time);
        await using var _ = root;
        await using var __ = app;
        using var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using var first = await client.GetAsync("/api/reports/tertial/2026/T2?format=xlsx", ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("driftvy-tertial-2026-T2.xlsx", first.Content.Headers.ContentDisposition?.FileNameStar ?? first.Content.Headers.ContentDisposition?.FileName);
        var frozenBytes = await first.Content.ReadAsByteArrayAsync(ct);

        AddLateContacts(inputs);
        time.Advance(TimeSpan.FromDays(30));
        var again = await client.GetByteArrayAsync("/api/reports/tertial/2026/T2?format=xlsx", ct);
        Assert.True(frozenBytes.AsSpan().SequenceEqual(again), "the frozen report must export to the same bytes after late data");
        var frozenXlsx = new XlsxReader(again);
        Assert.Equal(new DateTime(2026, 9, 15, 6, 0, 0, DateTimeKind.Utc), frozenXlsx.Created);

        var fresh = JsonReportWriter.Deserialize(await client.GetStringAsync("/api/reports/tertial/2026/T2?format=json&fresh=true", ct));
        var sl = fresh.Divisions.Single(d => d.Id == "kontaktcenter").Rows.Single(r => r.KpiId == "kc_answered_within_1_min");
        // 10 of 13 per queue and day, plus 50 counted abandons on one day for one queue.
        Assert.Equal(100.0 * 10 * 123 * 2 / ((13 * 123 * 2) + 50), sl.Value!.Value, 9);

        using var changesDoc = JsonDocument.Parse(await client.GetStringAsync("/api/reports/tertial/2026/T2/changes", ct));
        var changes = changesDoc.RootElement;
        Assert.Equal(["contacts"], changes.GetProperty("changedInputs").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(changes.GetProperty("changes").EnumerateArray(), c =>
            c.GetProperty("kpiId").GetString() == "kc_answered_within_1_min" && c.GetProperty("column").GetString() == "Periodens utfall"
            && Math.Abs(c.GetProperty("frozen").GetDouble() - (1000.0 / 13)) < 1e-9);
        Assert.DoesNotContain(changes.GetProperty("changes").EnumerateArray(), c => c.GetProperty("kpiId").GetString() == "customer_invoices_per_fte");
    }

    [Fact]
    public async Task GetTertial_PeriodNotOver_PreliminaryAndNotFrozen()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 6, 0, 0, TimeSpan.Zero));
        var (root, app, inputs) = Host(time);
        await using var _ = root;
        await using var __ = app;
        using var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var before = JsonReportWriter.Deserialize(await client.GetStringAsync("/api/reports/tertial/2026/T2?format=json", ct));
        AddLateContacts(inputs);
        var after = JsonReportWriter.Deserialize(await client.GetStringAsync("/api/reports/tertial/2026/T2?format=json", ct));

        Assert.True(before.Preliminary);
        Assert.NotEqual(before.InputChecksums["contacts"], after.InputChecksums["contacts"]);
    }

    [Fact]
    public async Task GetMonthly_March2026_MonthYearToDateLastYearTargetAndTheVolumesAndFteBehindEachFigure()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 9, 15, 6, 0, 0, TimeSpan.Zero));
        var (root, app, _) = Host(time);
        await using var __ = root;
        await using var ___ = app;
        using var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var report = JsonReportWriter.Deserialize(await client.GetStringAsync("/api/reports/monthly/2026/3?format=json", ct));
        var kr = report.Divisions.Single(d => d.Id == "ekonomi").Rows.Single(r => r.KpiId == "customer_invoices_per_fte");
        Assert.Equal((6300.0, 6300.0, 6000.0, 6300.0, 63_000.0, 10.0), (kr.Value!.Value, kr.YearToDate!.Value, kr.PreviousYear!.Value, kr.PeriodTarget!.Value, kr.Numerator!.Value, kr.Denominator!.Value));
        Assert.Equal("on-target", kr.Status);
        Assert.Equal([6300.0, 6300.0, 6300.0], kr.Trend.Select(v => v!.Value));
        var sl = report.Divisions.Single(d => d.Id == "kontaktcenter").Rows.Single(r => r.KpiId == "kc_answered_within_1_min");
        Assert.Equal((1000.0 / 13, 1000.0 / 13, 1200.0 / 13, 85.0), (sl.Value!.Value, sl.YearToDate!.Value, sl.PreviousYear!.Value, sl.PeriodTarget!.Value));
        Assert.Equal((10.0 * 31 * 2, 13.0 * 31 * 2), (sl.Numerator!.Value, sl.Denominator!.Value));
        Assert.Equal("Produktivitet mar 2026", report.Title);

        using var xlsx = await client.GetAsync("/api/reports/monthly/2026/3?format=xlsx", ct);
        Assert.Equal("driftvy-manad-2026-03.xlsx", xlsx.Content.Headers.ContentDisposition?.FileNameStar ?? xlsx.Content.Headers.ContentDisposition?.FileName);
        var sheet = new XlsxReader(await xlsx.Content.ReadAsByteArrayAsync(ct)).Sheets["Ekonomi"];
        Assert.Equal("Samma månad 2025", sheet["E4"].Text);
        var html = await client.GetStringAsync("/api/reports/monthly/2026/3?format=html", ct);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/reports/tertial/2026/T4")]
    [InlineData("/api/reports/tertial/2026/T2?format=pdf")]
    [InlineData("/api/reports/monthly/2026/13")]
    public async Task GetReport_BadPeriodOrFormat_BadRequestSayingWhatIsAccepted(string url)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 9, 15, 6, 0, 0, TimeSpan.Zero));
        var (root, app, _) = Host(time);
        await using var __ = root;
        await using var ___ = app;
        using var client = app.CreateClient();

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("use", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonthlyRunner_FirstWorkingDayOfNovemberFrom0600_WritesOctoberOnceAndNothingBefore()
    {
        var folder = Path.Combine(Path.GetTempPath(), "driftvy-monthly-" + Guid.NewGuid().ToString("N"));
        // Sunday 1 November 2026: not a working day, nothing is due yet.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 5, 0, 0, TimeSpan.Zero));
        var (root, app, _) = Host(time, new Dictionary<string, string?> { ["Reports:MonthlyFolder"] = folder, ["Reports:MonthlyFormats"] = "xlsx, html", ["Reports:ScheduleMonthly"] = "false" });
        await using var __ = root;
        await using var ___ = app;
        var runner = app.Services.GetRequiredService<MonthlyReportRunner>();
        var ct = TestContext.Current.CancellationToken;
        try
        {
            Assert.Empty(await runner.RunAsync(ct));

            // Monday 2 November, 05:59 in Stockholm (CET): the first working day, but before 06:00.
            time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
            Assert.Empty(await runner.RunAsync(ct));

            time.Advance(TimeSpan.FromMinutes(1));
            var written = await runner.RunAsync(ct);
            Assert.Equal(["driftvy-manad-2026-10.xlsx", "driftvy-manad-2026-10.html"], written.Select(Path.GetFileName));
            Assert.Empty(await runner.RunAsync(ct));
            Assert.Equal(new DateOnly(2026, 1, 2), MonthlyReportRunner.FirstWorkingDayOfMonth(2026, 1, app.Services.GetRequiredService<KpiSetup>().Calendar));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
