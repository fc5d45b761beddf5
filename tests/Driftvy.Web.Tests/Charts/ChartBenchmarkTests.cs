using System.Diagnostics;
using Driftvy.Web.Charts;
using Driftvy.Web.Reports;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Tests.Reports;

namespace Driftvy.Web.Tests.Charts;

/// <summary>
/// Render times: each chart kind (median of ten, PNG and SVG) and the full T2 report with its charts, as workbook and as
/// HTML page. Left out of <c>dotnet test</c>; run with the benchmark settings (see the README).
/// </summary>
public sealed class ChartBenchmarkTests(ITestOutputHelper output)
{
    private static double MedianMs(Action render)
    {
        render();
        var times = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var sw = Stopwatch.StartNew();
            render();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    [Fact]
    [Trait("Category", "Benchmark")]
    public void RenderTimes_EachKindAndFullTertialWithCharts_TertialUnderThreeSeconds()
    {
        var kpi = MedianMs(() => KpiYearChart.Render(ChartRenderingTests.ServiceLevelSeries()));
        var kpiPngOnly = MedianMs(() => KpiYearChart.Render(ChartRenderingTests.ServiceLevelSeries(), withSvg: false));
        var queue = MedianMs(() => QueueDayChart.Render(ChartRenderingTests.QueueDay()));
        var volume = MedianMs(() => TeamVolumeChart.RenderVolume(new TeamVolumeSeries("v", "Volym", 2026, [410.5, 398.0, 420.2, 415.0, 401, 399, 380.0, 402.5, null, null, null, null], 405.5)));
        var backlog = MedianMs(() => TeamVolumeChart.RenderBacklog(new BacklogSeries("b", "Balans", 2026,
            [new BacklogBucket("0–5 dagar", [120, 130, 90, 100]), new BacklogBucket("6–20 dagar", [40, 60, 30, 20]), new BacklogBucket("över 20 dagar", [10, 25, 5, 0])])));

        var alert = MedianMs(() => AlertChart.Render(AlertChartTests.ServiceLevelAlert()));

        var report = ReportRenderingTests.T2Report();
        var charts = report.Divisions.Sum(d => d.Rows.Count(r => r.Trend.Any(v => v is not null)));
        ReportExporter.ToBytes(report, ReportFormat.Xlsx);
        var sw = Stopwatch.StartNew();
        ReportExporter.ToBytes(report, ReportFormat.Xlsx);
        var xlsx = sw.Elapsed;
        sw.Restart();
        ReportExporter.ToBytes(report, ReportFormat.Html);
        var html = sw.Elapsed;

        output.WriteLine($"per chart (PNG+SVG, median of 10): KPI year {kpi:N0} ms (PNG only {kpiPngOnly:N0} ms), queue day {queue:N0} ms, team volume {volume:N0} ms, backlog {backlog:N0} ms; alert picture (PNG only) {alert:N0} ms");
        output.WriteLine($"T2 report with {charts} charts: xlsx {xlsx.TotalMilliseconds:N0} ms, html {html.TotalMilliseconds:N0} ms; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Assert.True(xlsx < TimeSpan.FromSeconds(3), $"the T2 workbook with {charts} charts took {xlsx}");
        Assert.True(html < TimeSpan.FromSeconds(3), $"the T2 page with {charts} charts took {html}");
    }
}
