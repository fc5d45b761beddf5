using ScottPlot;

namespace Driftvy.Web.Charts;

/// <summary>A KPI's months: this year, last year, the target and the forecast for the months left (null where none).</summary>
internal sealed record KpiYearSeries(
    string Name,
    string Title,
    ChartUnit Unit,
    int Year,
    IReadOnlyList<double?> ThisYear,
    IReadOnlyList<double?> LastYear,
    double? Target,
    IReadOnlyList<double?> Forecast);

/// <summary>Chart (a): a KPI's months this year against last year, the target line and the forecast (dashed).</summary>
internal static class KpiYearChart
{
    public static ChartPicture Render(KpiYearSeries series, int width = ChartRenderer.DefaultWidth, int height = ChartRenderer.DefaultHeight, bool withSvg = true)
    {
        ArgumentNullException.ThrowIfNull(series);
        using var plot = ChartRenderer.NewPlot(series.Title);
        ChartRenderer.MonthTicks(plot);
        ChartRenderer.UnitTicks(plot.Axes.Left, series.Unit);
        var values = series.ThisYear.Concat(series.LastYear).Concat(series.Forecast).OfType<double>()
            .Concat(series.Target is { } t ? [t] : []);
        var (min, max) = ChartRenderer.Range(values, series.Unit);
        plot.Axes.SetLimitsY(min, max);

        ChartRenderer.Line(plot, series.LastYear, ChartStyle.PreviousYear, (series.Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), LinePattern.Solid, 1.5f);
        ChartRenderer.Line(plot, series.ThisYear, ChartStyle.Actual, series.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), LinePattern.Solid, 2.5f);

        // The forecast starts at the last measured month so the dashed line continues the solid one.
        var forecast = series.Forecast.ToArray();
        var last = series.ThisYear.Select((v, i) => (v, i)).LastOrDefault(x => x.v is not null);
        if (last.v is { } lv && forecast.Skip(last.i + 1).Any(f => f is not null))
        {
            forecast = [.. forecast.Select((f, i) => i == last.i ? lv : f)];
        }

        ChartRenderer.Line(plot, forecast, ChartStyle.Forecast, "Prognos", LinePattern.Dashed, 2);
        if (series.Target is { } target)
        {
            var line = plot.Add.HorizontalLine(target, 2, ChartStyle.Target, LinePattern.Solid);
            line.LegendText = "Mål " + ChartStyle.Number(target, series.Unit, precise: true);
        }

        plot.ShowLegend(Edge.Bottom);
        return ChartRenderer.Render(plot, series.Name, series.Title, width, height, withSvg: withSvg);
    }
}
