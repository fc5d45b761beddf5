using System.Globalization;
using ScottPlot;

namespace Driftvy.Web.Charts;

/// <summary>One reading of an alert rule's measure (its unit is the series').</summary>
internal sealed record MeasurePoint(DateTimeOffset At, double Value);

/// <summary>
/// What an alert's picture shows: a queue's last hours (offered per quarter hour as bars), the rule's measure over
/// them, the rule's threshold on the measure's axis, and the moment the alert fired.
/// </summary>
/// <param name="Name">A file-name-safe stem.</param>
/// <param name="Title">The Swedish title (the rule's name and the queue).</param>
/// <param name="From">Start of the window shown.</param>
/// <param name="To">End of the window shown (when the notification was decided).</param>
/// <param name="Offered">Offered contacts per quarter hour (start of the quarter, count).</param>
/// <param name="MeasureLabel">Legend text of the measure, e.g. "Servicegrad per kvart" or "Väntande".</param>
/// <param name="Unit">The measure's unit (ticks of the right axis).</param>
/// <param name="Measure">The measure's readings in the window.</param>
/// <param name="Threshold">The rule's threshold (or the target it is judged against), on the measure's axis.</param>
/// <param name="FiredAt">When the alert fired; marked when it lies in the window.</param>
internal sealed record AlertChartSeries(
    string Name,
    string Title,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<(DateTimeOffset Start, double Count)> Offered,
    string MeasureLabel,
    ChartUnit Unit,
    IReadOnlyList<MeasurePoint> Measure,
    double? Threshold,
    DateTimeOffset FiredAt);

/// <summary>
/// The picture an alert carries: the queue's last two hours with the rule's threshold line and a marker at the moment
/// it fired. The x axis counts minutes from the window's start and is labelled in Stockholm time, so a window across
/// midnight or a clock change reads straight.
/// </summary>
internal static class AlertChart
{
    public const int Width = 720;
    public const int Height = 360;

    public static ChartPicture Render(AlertChartSeries series, int width = Width, int height = Height, bool withSvg = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        using var plot = ChartRenderer.NewPlot(series.Title);
        var span = Math.Max(15, (series.To - series.From).TotalMinutes);
        double X(DateTimeOffset at) => (at - series.From).TotalMinutes;

        var bars = series.Offered.Where(q => X(q.Start) >= -7.5 && X(q.Start) < span)
            .Select(q => new Bar
            {
                Position = X(q.Start) + 7.5,
                Value = q.Count,
                Size = 12,
                FillColor = ChartStyle.Actual.WithAlpha(0.55),
                LineWidth = 0,
            }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = "Erbjudna per kvart";
        var maxOffered = bars.Select(b => b.Value).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(0, Math.Max(1, maxOffered * 1.15), plot.Axes.Left);
        ChartRenderer.UnitTicks(plot.Axes.Left, ChartUnit.Count);
        plot.Axes.Left.Label.Text = "Erbjudna";
        plot.Axes.Left.Label.FontName = ChartFonts.Family;

        var right = plot.Axes.Right;
        var points = series.Measure.Where(p => X(p.At) >= 0 && X(p.At) <= span).OrderBy(p => p.At).ToList();
        if (points.Count > 0)
        {
            var line = plot.Add.Scatter(points.Select(p => X(p.At)).ToArray(), points.Select(p => p.Value).ToArray(), ChartStyle.Text);
            line.LineWidth = 2;
            line.MarkerSize = points.Count <= 16 ? 5 : 0;
            line.LegendText = series.MeasureLabel;
            line.Axes.YAxis = right;
        }

        if (series.Threshold is { } threshold)
        {
            var line = plot.Add.HorizontalLine(threshold, 2, ChartStyle.Target, LinePattern.Solid);
            line.Axes.YAxis = right;
            line.LegendText = "Gräns " + ChartStyle.Number(threshold, series.Unit);
        }

        var (min, max) = ChartRenderer.Range(points.Select(p => p.Value).Concat(series.Threshold is { } t ? [t] : []), series.Unit);
        plot.Axes.SetLimitsY(min, max, right);
        ChartRenderer.UnitTicks(right, series.Unit);

        var fired = X(series.FiredAt);
        if (fired >= 0 && fired <= span)
        {
            var mark = plot.Add.VerticalLine(fired, 2, ChartStyle.Annotation, LinePattern.Dashed);
            mark.LabelText = "Larm " + ChartStyle.Clock(series.FiredAt);
            mark.LabelFontName = ChartFonts.Family;
            mark.LabelFontSize = 11;
            mark.LabelOppositeAxis = true;
        }

        // A tick every half hour on the quarter-hour grid, labelled with Stockholm's wall clock.
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var first = series.From.ToUnixTimeSeconds() % 1800 == 0 ? series.From : DateTimeOffset.FromUnixTimeSeconds(((series.From.ToUnixTimeSeconds() / 1800) + 1) * 1800);
        for (var at = first; X(at) <= span + 1e-6; at = at.AddMinutes(30))
        {
            ticks.AddMajor(X(at), ChartStyle.Clock(at));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.TickLabelStyle.FontName = ChartFonts.Family;
        plot.Axes.SetLimitsX(0, span);
        plot.ShowLegend(Edge.Bottom);
        return ChartRenderer.Render(plot, series.Name, series.Title, width, height, right, withSvg);
    }

    /// <summary>A KPI unit as the chart writes it.</summary>
    public static ChartUnit UnitOf(Driftvy.Domain.Kpis.KpiUnit unit) => unit switch
    {
        Driftvy.Domain.Kpis.KpiUnit.Percent => ChartUnit.Percent,
        Driftvy.Domain.Kpis.KpiUnit.Seconds => ChartUnit.Seconds,
        Driftvy.Domain.Kpis.KpiUnit.Count => ChartUnit.Count,
        Driftvy.Domain.Kpis.KpiUnit.Days => ChartUnit.Days,
        _ => ChartUnit.Decimal,
    };

    /// <summary>The window's title suffix: "14:30–16:30".</summary>
    public static string Window(DateTimeOffset from, DateTimeOffset to) =>
        string.Create(CultureInfo.InvariantCulture, $"{ChartStyle.Clock(from)}–{ChartStyle.Clock(to)}");
}
