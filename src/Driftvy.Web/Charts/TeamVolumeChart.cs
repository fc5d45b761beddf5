using ScottPlot;

namespace Driftvy.Web.Charts;

/// <summary>A back-office team's year: volume per FTE by month (null where not measured) and the monthly target.</summary>
internal sealed record TeamVolumeSeries(string Name, string Title, int Year, IReadOnlyList<double?> PerFte, double? Target);

/// <summary>One age bucket of a backlog ("0–5 dagar") and its count at the end of each month shown.</summary>
internal sealed record BacklogBucket(string Label, IReadOnlyList<double> Counts);

/// <summary>A team's backlog at each month's end, split by age bucket (youngest first).</summary>
internal sealed record BacklogSeries(string Name, string Title, int Year, IReadOnlyList<BacklogBucket> Buckets);

/// <summary>Chart (c): a back-office team's volume per FTE by month against target, and its backlog by age bucket.</summary>
internal static class TeamVolumeChart
{
    public static ChartPicture RenderVolume(TeamVolumeSeries series, int width = ChartRenderer.DefaultWidth, int height = ChartRenderer.DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(series);
        using var plot = ChartRenderer.NewPlot(series.Title);
        ChartRenderer.MonthTicks(plot);
        ChartRenderer.UnitTicks(plot.Axes.Left, ChartUnit.Decimal);
        var bars = series.PerFte.Select((v, i) => (v, i)).Where(x => x.v is not null)
            .Select(x => new Bar { Position = x.i + 1, Value = x.v!.Value, Size = 0.7, FillColor = ChartStyle.Actual, LineWidth = 0 }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = "Volym per årsarbetare " + series.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (min, max) = ChartRenderer.Range(series.PerFte.OfType<double>().Concat(series.Target is { } t ? [t] : []), ChartUnit.Decimal);
        plot.Axes.SetLimitsY(min, max);
        if (series.Target is { } target)
        {
            var line = plot.Add.HorizontalLine(target, 2, ChartStyle.Target, LinePattern.Solid);
            line.LegendText = "Mål " + ChartStyle.Number(target, ChartUnit.Decimal, precise: true);
        }

        plot.ShowLegend(Edge.Bottom);
        return ChartRenderer.Render(plot, series.Name, series.Title, width, height);
    }

    public static ChartPicture RenderBacklog(BacklogSeries series, int width = ChartRenderer.DefaultWidth, int height = ChartRenderer.DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(series);
        using var plot = ChartRenderer.NewPlot(series.Title);
        var months = series.Buckets.Select(b => b.Counts.Count).DefaultIfEmpty(0).Max();
        ChartRenderer.MonthTicks(plot, Math.Max(months, 1));
        ChartRenderer.UnitTicks(plot.Axes.Left, ChartUnit.Count);
        var totals = new double[months];
        for (var b = 0; b < series.Buckets.Count; b++)
        {
            var bucket = series.Buckets[b];
            var color = ChartStyle.AgeBuckets[Math.Min(b, ChartStyle.AgeBuckets.Count - 1)];
            var bars = new List<Bar>();
            for (var m = 0; m < bucket.Counts.Count; m++)
            {
                bars.Add(new Bar { Position = m + 1, ValueBase = totals[m], Value = totals[m] + bucket.Counts[m], Size = 0.7, FillColor = color, LineWidth = 0 });
                totals[m] += bucket.Counts[m];
            }

            plot.Add.Bars(bars).LegendText = bucket.Label;
        }

        var (min, max) = ChartRenderer.Range(totals, ChartUnit.Count);
        plot.Axes.SetLimitsY(min, max);
        plot.Axes.Left.Label.Text = "Ärenden i balans";
        plot.Axes.Left.Label.FontName = ChartFonts.Family;
        plot.ShowLegend(Edge.Bottom);
        return ChartRenderer.Render(plot, series.Name, series.Title, width, height);
    }
}
