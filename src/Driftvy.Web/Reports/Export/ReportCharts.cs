using System.Globalization;
using Driftvy.Web.Charts;

namespace Driftvy.Web.Reports.Export;

/// <summary>One KPI row's chart in a report, with the division and row it belongs to.</summary>
internal sealed record ReportChart(ReportDivision Division, ReportRow Row, ChartPicture Picture);

/// <summary>
/// The charts of a report: for every KPI row with a measured month, its months this year against last year, the target
/// and the forecast for the months left (chart kind (a)). Drawn from the document alone, so the workbook, the HTML page and
/// the <c>--charts</c> files show the same pictures.
/// </summary>
internal static class ReportCharts
{
    public const int Width = 640;
    public const int Height = 320;

    public static IEnumerable<ReportChart> For(ReportDocument report, bool withSvg = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var division in report.Divisions)
        {
            var index = 0;
            foreach (var row in division.Rows)
            {
                index++;
                if (!row.Trend.Any(v => v is not null))
                {
                    continue;
                }

                var name = string.Create(CultureInfo.InvariantCulture, $"{ChartRenderer.Slug(division.NameSv)}-{index:00}-{ChartRenderer.Slug(row.KpiId)}");
                yield return new ReportChart(division, row, KpiYearChart.Render(Series(report, row, name), Width, Height, withSvg));
            }
        }
    }

    public static KpiYearSeries Series(ReportDocument report, ReportRow row, string name)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(row);
        var unit = Unit(row.Unit);
        var thisYear = Pad(row.Trend);
        var lastYear = Pad(row.PreviousYearTrend ?? []);
        return new KpiYearSeries(name, Title(row), unit, report.Year, thisYear, lastYear, row.TrendTarget, Forecast(row, unit, thisYear));
    }

    private static string Title(ReportRow row)
    {
        var scope = row.ScopeSv.Length > 48 ? row.ScopeSv[..47] + "…" : row.ScopeSv;
        return $"{row.NameSv} – {scope}";
    }

    // The full-year forecast as months: a level (shares, times, per-FTE figures) continues flat; a count spreads what is
    // left of the forecast total over the months left.
    private static double?[] Forecast(ReportRow row, ChartUnit unit, double?[] thisYear)
    {
        var result = new double?[12];
        var measured = row.Trend.Count;
        if (row.Forecast is not { } f || measured >= 12)
        {
            return result;
        }

        var monthly = unit == ChartUnit.Count
            ? (f - thisYear.Take(measured).Sum(v => v ?? 0)) / (12 - measured)
            : f;
        for (var m = measured; m < 12; m++)
        {
            result[m] = monthly;
        }

        return result;
    }

    private static double?[] Pad(IReadOnlyList<double?> values) => [.. Enumerable.Range(0, 12).Select(i => i < values.Count ? values[i] : null)];

    public static ChartUnit Unit(string unit) => unit switch
    {
        "percent" => ChartUnit.Percent,
        "count" => ChartUnit.Count,
        "seconds" => ChartUnit.Seconds,
        "days" => ChartUnit.Days,
        _ => ChartUnit.Decimal,
    };
}
