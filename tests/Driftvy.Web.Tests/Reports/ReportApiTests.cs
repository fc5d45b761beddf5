using System.Net;
using System.Net.Http.Json;
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

    /// <summary>Signs in as a new user with <paramref name="role"/> on <paramref name="app"/>; the client carries the cookie and the antiforgery header.</summary>
    private static async Task<HttpClient> SignedInAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string role, string username)
    {
        await app.Services.GetRequiredService<Driftvy.Web.Security.UserStore>().CreateAsync(username, DriftvyAppFactory.TestPassword, role, CancellationToken.None);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        (await client.PostAsJsonAsync("/auth/login", new { username, password = DriftvyAppFactory.TestPassword })).EnsureSuccessStatusCode();
        var antiforgery = await client.GetFromJsonAsync<JsonElement>("/auth/antiforgery");
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", antiforgery.GetProperty("token").GetString());
        return client;
    }

    [Fact]
    public async Task GetTertial_FinishedButNotFixed_LiveAndMarkedPreliminary_FixedOnlyByAnAdminThenReproducedByteForByte()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 9, 15, 6, 0, 0, TimeSpan.Zero));
        var (root, app, inputs) = Host(time);
        await using var _ = root;
        await using var __ = app;
        using var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        // Downloading is never fixing: the finished T2 is computed live, says it is not fixed, and follows late data.
        using var first = await client.GetAsync("/api/reports/tertial/2026/T2?format=xlsx", ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("driftvy-tertial-2026-T2.xlsx", first.Content.Headers.ContentDisposition?.FileNameStar ?? first.Content.Headers.ContentDisposition?.FileName);
        var html = await client.GetStringAsync("/api/reports/tertial/2026/T2?format=html", ct);
        Assert.Contains("Beräknad 2026-09-15 08:00 (svensk tid). PRELIMINÄR: inte fastställd", html);
        var live = JsonReportWriter.Deserialize(await client.GetStringAsync("/api/reports/tertial/2026/T2?format=json", ct));
        Assert.Null(live.Fixed);
        AddLateContacts(inputs);
        var liveAfter = JsonReportWriter.Deserialize(await client.GetStringAsync("/api/reports/tertial/2026/T2?format=json", ct));
        Assert.NotEqual(live.InputChecksums["contacts"], liveAfter.InputChecksums["contacts"]);
        inputs.Late.Clear();

        // Only an administrator fixes, and the rows without data are named before anything is stored.
        using var viewer = await SignedInAsync(app, "viewer", "controller-v");
        using (var refused = await viewer.PostAsync("/api/reports/tertial/2026/T2/fix", null, ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var admin = await SignedInAsync(app, "admin", "controller-a");
        using var gapsRefused = await admin.PostAsync("/api/reports/tertial/2026/T2/fix", null, ct);
        Assert.Equal(HttpStatusCode.Conflict, gapsRefused.StatusCode);
        using var gapsDoc = JsonDocument.Parse(await gapsRefused.Content.ReadAsStringAsync(ct));
        var gaps = gapsDoc.RootElement.GetProperty("gaps").EnumerateArray().Select(g => g.GetString()!).ToList();
        Assert.NotEmpty(gaps);
        Assert.Equal($"{gaps.Count} rows of T2 2026 have no value for want of data; fix it anyway only if that is right (accept the gaps).", gapsDoc.RootElement.GetProperty("detail").GetString());
        Assert.Null(JsonReportWriter.Deserialize(await client.GetStringAsync("/api/reports/tertial/2026/T2?format=json", ct)).Fixed);

        time.Advance(TimeSpan.FromHours(2));
        using var fixedAnswer = await admin.PostAsync("/api/reports/tertial/2026/T2/fix?acceptGaps=true", null, ct);
        Assert.Equal(HttpStatusCode.OK, fixedAnswer.StatusCode);
        var fixedBytes = await client.GetByteArrayAsync("/api/reports/tertial/2026/T2?format=xlsx", ct);
        var fixedDoc = JsonReportWriter.Deserialize(await client.GetStringAsync("/api/reports/tertial/2026/T2?format=json", ct));
        Assert.Equal("controller-a", fixedDoc.Fixed!.By);
        Assert.Equal(gaps, fixedDoc.Fixed.AcceptedGaps);
        Assert.False(fixedDoc.Preliminary);
        Assert.Contains($"Fastställd 2026-09-15 10:00 av controller-a, med {gaps.Count} rader utan underlag.", await client.GetStringAsync("/api/reports/tertial/2026/T2?format=html", ct));
        var audit = await app.Services.GetRequiredService<Driftvy.Web.Security.AuditLog>().ListAsync(10, ct);
        Assert.Contains(audit, a => a.Action == "report.fix" && a.Actor == "controller-a" && a.EntityId == "tertial/2026/T2");
        using (var again = await admin.PostAsync("/api/reports/tertial/2026/T2/fix?acceptGaps=true", null, ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("already fixed (2026-09-15 10:00 by controller-a)", await again.Content.ReadAsStringAsync(ct));
        }

        // Late data changes nothing in the fixed report; a fresh run and the comparison show what moved.
        AddLateContacts(inputs);
        time.Advance(TimeSpan.FromDays(30));
        var again30 = await client.GetByteArrayAsync("/api/reports/tertial/2026/T2?format=xlsx", ct);
        Assert.True(fixedBytes.AsSpan().SequenceEqual(again30), "the fixed report must export to the same bytes after late data");
        var frozenXlsx = new XlsxReader(again30);
        Assert.Equal(new DateTime(2026, 9, 15, 8, 0, 0, DateTimeKind.Utc), frozenXlsx.Created);

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

        // A running period cannot be fixed.
        using var admin = await SignedInAsync(app, "admin", "controller-early");
        using var refused = await admin.PostAsync("/api/reports/tertial/2026/T2/fix?acceptGaps=true", null, ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("T2 2026 runs until 2026-08-31; it can be fixed from 2026-09-01.", await refused.Content.ReadAsStringAsync(ct));
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
        Assert.Contains("<img src=\"data:image/png;base64,", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTertial_Fixed_ServesTheBytesStoredAtFixingForEveryFormat()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 9, 15, 6, 0, 0, TimeSpan.Zero));
        var (root, app, _) = Host(time);
        await using var _r = root;
        await using var _a = app;
        using var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var outcome = await app.Services.GetRequiredService<ReportService>().FixAsync(2026, TertialPoint.T2, "controller-a", acceptGaps: true, ct);
        Assert.NotNull(outcome.Report);

        var contexts = app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Driftvy.Web.Storage.DriftvyDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var files = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.ReportSnapshotFiles, ct);
            Assert.Equal(["csv", "html", "json", "xlsx"], files.Select(f => f.Format).Order(StringComparer.Ordinal));
            foreach (var f in files)
            {
                Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f.Content)), f.Sha256);
                var served = await client.GetByteArrayAsync($"/api/reports/tertial/2026/T2?format={f.Format}", ct);
                Assert.True(served.AsSpan().SequenceEqual(f.Content), $"the {f.Format} served differs from the one stored at fixing");
            }

            // What is served is the stored file, not a new rendering: bytes a renderer would never write come back as stored.
            var html = files.Single(f => f.Format == "html");
            html.Content = [.. html.Content, .. "<!-- written by an earlier renderer -->"u8.ToArray()];
            await db.SaveChangesAsync(ct);
        }

        time.Advance(TimeSpan.FromDays(400));
        var later = await client.GetStringAsync("/api/reports/tertial/2026/T2?format=html", ct);
        Assert.EndsWith("<!-- written by an earlier renderer -->", later, StringComparison.Ordinal);
        var fresh = await client.GetStringAsync("/api/reports/tertial/2026/T2?format=html&fresh=true", ct);
        Assert.DoesNotContain("earlier renderer", fresh, StringComparison.Ordinal);
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
