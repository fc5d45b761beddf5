using Driftvy.Web.Reports;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>One defuser, <see cref="SpreadsheetText.ForExport"/>, for every CSV export: nothing a spreadsheet would evaluate leaves as is.</summary>
public sealed class SpreadsheetExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("=1+1")]
    [InlineData("\t=HYPERLINK(\"http://x\")")]
    [InlineData("  =cmd")]
    [InlineData("\u00a0@SUM(A1)")]
    [InlineData("\uFF1D1+1")]
    [InlineData("\r\n+46")]
    [InlineData("-2")]
    public void ForExport_FormulaInAnyDisguise_IsDefused(string value) =>
        Assert.Equal("'" + value, SpreadsheetText.ForExport(value));

    [Theory]
    [InlineData("Kontaktcenter")]
    [InlineData("kc-stockholm")]
    [InlineData("a = b")]
    [InlineData("")]
    public void ForExport_PlainText_IsUnchanged(string value) =>
        Assert.Equal(value, SpreadsheetText.ForExport(value));

    [Fact]
    public async Task AlarmLogCsv_FormulaInRuleIdAndQueue_IsDefused()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Imports();
        var incident = new Driftvy.Web.Alerts.AlertIncident
        {
            Id = Guid.NewGuid(),
            Rule = new Driftvy.Web.Alerts.AlertRule
            {
                Id = "\t=HYPERLINK(\"http://x\")", Name = "Kö", Measure = Driftvy.Web.Alerts.AlertMeasure.Waiting, Queue = "+kc",
                Condition = Driftvy.Web.Alerts.AlertCondition.Above, Threshold = 8, Severity = Driftvy.Web.Alerts.AlertSeverity.Warning, Channels = [],
            },
            FiredAt = TestClock.OrdinaryMorning,
        };
        await app.Services.GetRequiredService<Driftvy.Web.Alerts.IAlertLog>().SaveAsync(incident, Ct);
        using var client = app.CreateClient();

        var csv = await client.GetStringAsync("/api/alerts/log?format=csv", Ct);

        var row = csv.Split('\n')[1];
        Assert.Contains("\"'\t=HYPERLINK(\"\"http://x\"\")\"", row, StringComparison.Ordinal);
        Assert.Contains("\"'+kc\"", row, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportCsv_FormulaInTextCells_IsDefusedAndNegativeNumbersAreNot()
    {
        var row = new ReportRow
        {
            KpiId = "k", Version = 1, NameSv = "=HYPERLINK(\"http://x\")", ScopeSv = "@team", Scope = ["lr"], Unit = "+enhet",
            Direction = "higher", PeriodLabel = "T2", Value = -1.5, ReportPeriod = "2026-T2",
            Status = "ok", Trend = [], Provenance = "test",
        };
        var report = new ReportDocument
        {
            Kind = ReportKind.Monthly, Year = 2026, Month = 5, Title = "t", PeriodText = "maj", GeneratedAt = TestClock.OrdinaryMorning,
            Preliminary = false, Divisions = [new ReportDivision("d", "-Ekonomi", [row])], Definitions = [], InputChecksums = new Dictionary<string, string>(),
        };
        using var output = new MemoryStream();

        CsvReportWriter.Write(report, output);

        var text = System.Text.Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("'=HYPERLINK", text, StringComparison.Ordinal);
        Assert.Contains("'-Ekonomi", text, StringComparison.Ordinal);
        Assert.Contains("'+enhet", text, StringComparison.Ordinal);
        Assert.Contains(";-1,5", text, StringComparison.Ordinal);
        Assert.DoesNotContain("'-1,5", text, StringComparison.Ordinal);
    }
}
