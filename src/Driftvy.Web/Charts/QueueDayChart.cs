using ScottPlot;

namespace Driftvy.Web.Charts;

/// <summary>One quarter hour of a queue: offered and expected contacts, and the service level (0–100) where measured.</summary>
internal sealed record QueueQuarter(DateTimeOffset Start, double Offered, double? Expected, double? ServiceLevel);

/// <summary>A moment marked on a day chart: an annotation, or the moment an alert fired.</summary>
internal sealed record ChartMark(DateTimeOffset At, string Text);

/// <summary>
/// A queue over part of a day (Stockholm time): the quarter hours shown, the service level target and the marks. The
/// window is given in local hours (0–24), e.g. the opening hours, or the last two hours for an alert.
/// </summary>
internal sealed record QueueDaySeries(
    string Name,
    string Title,
    IReadOnlyList<QueueQuarter> Quarters,
    double? ServiceLevelTarget,
    IReadOnlyList<ChartMark> Marks,
    double FromHour,
    double ToHour);

/// <summary>
/// Chart (b): a queue's day by quarter hour — offered (bars) against expected (line) on the left axis, service level
/// against its target on the right axis (0–100 %), and the annotations as labelled vertical lines.
/// </summary>
internal static class QueueDayChart
{
    public static ChartPicture Render(QueueDaySeries series, int width = ChartRenderer.DefaultWidth, int height = ChartRenderer.DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(series);
        using var plot = ChartRenderer.NewPlot(series.Title);
        var quarters = series.Quarters.Select(q => (X: ChartStyle.LocalHours(q.Start) + 0.125, Q: q))
            .Where(q => q.X >= series.FromHour && q.X <= series.ToHour).ToList();

        var bars = quarters.Select(q => new Bar
        {
            Position = q.X,
            Value = q.Q.Offered,
            Size = 0.2,
            FillColor = ChartStyle.Actual.WithAlpha(0.75),
            LineWidth = 0,
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = "Erbjudna";

        var expected = quarters.Where(q => q.Q.Expected is not null).ToList();
        if (expected.Count > 0)
        {
            var line = plot.Add.Scatter(expected.Select(q => q.X).ToArray(), expected.Select(q => q.Q.Expected!.Value).ToArray(), ChartStyle.Expected);
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = "Förväntade";
        }

        var max = quarters.Select(q => Math.Max(q.Q.Offered, q.Q.Expected ?? 0)).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(0, Math.Max(1, max * 1.15), plot.Axes.Left);
        ChartRenderer.UnitTicks(plot.Axes.Left, ChartUnit.Count);
        plot.Axes.Left.Label.Text = "Kontakter per kvart";
        plot.Axes.Left.Label.FontName = ChartFonts.Family;

        var right = plot.Axes.Right;
        var measured = quarters.Where(q => q.Q.ServiceLevel is not null).ToList();
        if (measured.Count > 0)
        {
            var sl = plot.Add.Scatter(measured.Select(q => q.X).ToArray(), measured.Select(q => q.Q.ServiceLevel!.Value).ToArray(), ChartStyle.Text);
            sl.LineWidth = 2;
            sl.MarkerSize = 4;
            sl.LegendText = "Servicegrad";
            sl.Axes.YAxis = right;
        }

        if (series.ServiceLevelTarget is { } target)
        {
            var line = plot.Add.HorizontalLine(target, 2, ChartStyle.Target, LinePattern.Solid);
            line.Axes.YAxis = right;
            line.LegendText = "Mål servicegrad " + ChartStyle.Number(target, ChartUnit.Percent);
        }

        plot.Axes.SetLimitsY(0, 100, right);
        ChartRenderer.UnitTicks(right, ChartUnit.Percent);

        foreach (var mark in series.Marks)
        {
            var x = ChartStyle.LocalHours(mark.At);
            if (x < series.FromHour || x > series.ToHour)
            {
                continue;
            }

            var v = plot.Add.VerticalLine(x, 2, ChartStyle.Annotation, LinePattern.Dashed);
            v.LabelText = ChartStyle.Clock(mark.At) + " " + mark.Text;
            v.LabelFontName = ChartFonts.Family;
            v.LabelFontSize = 11;
            v.LabelOppositeAxis = true;
        }

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var span = series.ToHour - series.FromHour;
        var step = span <= 3 ? 0.25 : span <= 8 ? 1 : 2;
        for (var h = Math.Ceiling(series.FromHour / step) * step; h <= series.ToHour + 1e-9; h += step)
        {
            ticks.AddMajor(h, ChartStyle.HourLabel(h));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.TickLabelStyle.FontName = ChartFonts.Family;
        plot.Axes.SetLimitsX(series.FromHour, series.ToHour);
        plot.ShowLegend(Edge.Bottom);
        return ChartRenderer.Render(plot, series.Name, series.Title, width, height, right);
    }
}
