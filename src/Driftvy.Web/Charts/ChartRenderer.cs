using ScottPlot;

namespace Driftvy.Web.Charts;

/// <summary>
/// What every chart shares: a white page in DejaVu Sans, the Swedish title, the legend under the plot, and rendering to
/// PNG and SVG from the same plot.
/// </summary>
internal static class ChartRenderer
{
    public const int DefaultWidth = 640;
    public const int DefaultHeight = 320;

    public static Plot NewPlot(string title)
    {
        ChartFonts.EnsureAvailable();
        var plot = new Plot();
        plot.Font.Set(ChartFonts.Family);
        plot.Title(title, 14);
        plot.Axes.Title.Label.FontName = ChartFonts.Family;
        plot.Axes.Title.Label.ForeColor = ChartStyle.Text;
        plot.Legend.FontName = ChartFonts.Family;
        plot.Legend.FontSize = 11;
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Grid.MajorLineColor = Color.FromHex("#DDDDDD");
        return plot;
    }

    /// <summary>Left-axis ticks in Swedish format for the unit.</summary>
    public static void UnitTicks(IAxis axis, ChartUnit unit)
    {
        // Counts are whole: no "0, 0, 1, 1" ticks on a small axis.
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => ChartStyle.Number(v, unit),
            IntegerTicksOnly = unit == ChartUnit.Count,
        };
        axis.TickLabelStyle.FontName = ChartFonts.Family;
    }

    /// <summary>Month ticks 1–12 ("jan" … "dec") on the bottom axis.</summary>
    public static void MonthTicks(Plot plot, int months = 12)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var m = 1; m <= months; m++)
        {
            ticks.AddMajor(m, ChartStyle.Months[m - 1]);
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.TickLabelStyle.FontName = ChartFonts.Family;
        plot.Axes.SetLimitsX(0.5, months + 0.5);
    }

    /// <summary>The value range shown: from zero (or below, for negatives) with a tenth of headroom, never past 100 % for shares.</summary>
    public static (double Min, double Max) Range(IEnumerable<double> values, ChartUnit unit)
    {
        var all = values.Where(double.IsFinite).ToList();
        if (all.Count == 0)
        {
            return (0, unit == ChartUnit.Percent ? 100 : 1);
        }

        var min = Math.Min(0, all.Min());
        var max = all.Max();
        if (max <= min)
        {
            max = min + 1;
        }

        max += (max - min) * 0.1;
        if (unit == ChartUnit.Percent && all.Max() <= 100)
        {
            max = Math.Min(max, 100);
        }

        return (min, max);
    }

    /// <summary>Consecutive runs of present values, so a month with nothing to measure breaks the line instead of dropping to zero.</summary>
    public static IEnumerable<(double[] Xs, double[] Ys)> Runs(IReadOnlyList<double?> values, int firstX = 1)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i <= values.Count; i++)
        {
            if (i < values.Count && values[i] is { } v && double.IsFinite(v))
            {
                xs.Add(i + firstX);
                ys.Add(v);
                continue;
            }

            if (xs.Count > 0)
            {
                yield return ([.. xs], [.. ys]);
                xs.Clear();
                ys.Clear();
            }
        }
    }

    /// <summary>Adds a line through the present values (markers on each), labelled once in the legend.</summary>
    public static void Line(Plot plot, IReadOnlyList<double?> values, Color color, string legend, LinePattern pattern, float width = 2, IYAxis? axis = null)
    {
        var first = true;
        foreach (var (xs, ys) in Runs(values))
        {
            var line = plot.Add.Scatter(xs, ys, color);
            line.LineWidth = width;
            line.LinePattern = pattern;
            line.MarkerSize = pattern.Equals(LinePattern.Solid) ? 5 : 0;
            if (axis is not null)
            {
                line.Axes.YAxis = axis;
            }

            if (first)
            {
                line.LegendText = legend;
                first = false;
            }
        }
    }

    /// <summary>
    /// Renders the plot to PNG (and SVG unless <paramref name="withSvg"/> is false: reports that only embed the PNG save
    /// the second rendering) at the given size; the geometry is read against <paramref name="targetAxis"/> (left by default).
    /// </summary>
    public static ChartPicture Render(Plot plot, string name, string title, int width, int height, IYAxis? targetAxis = null, bool withSvg = true)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        var data = plot.LastRender.DataRect;
        var axis = targetAxis ?? plot.Axes.Left;
        var geometry = new ChartGeometry(data.Left, data.Top, data.Right, data.Bottom, axis.Range.Min, axis.Range.Max);
        var svg = withSvg ? plot.GetSvgXml(width, height) : string.Empty;
        return new ChartPicture(name, title, width, height, png, svg, geometry);
    }

    /// <summary>A lower-case ASCII file-name stem from Swedish text: "Äldre direkt" → "aldre-direkt".</summary>
    public static string Slug(string text)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var ch in text.Normalize(System.Text.NormalizationForm.FormD).ToLowerInvariant())
        {
            if (ch is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                builder.Append(ch);
            }
            else if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(ch) != System.Globalization.UnicodeCategory.NonSpacingMark
                && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().Trim('-');
    }
}
