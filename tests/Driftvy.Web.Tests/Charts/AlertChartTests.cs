using Driftvy.Web.Charts;

namespace Driftvy.Web.Tests.Charts;

/// <summary>The alert picture from known figures: its size, the threshold on its row of the measure's axis, the firing marked.</summary>
public sealed class AlertChartTests
{
    // 10:30 in Stockholm (CEST) on Thursday 15 October 2026; the window is the two hours before.
    private static readonly DateTimeOffset Now = new(2026, 10, 15, 8, 30, 0, TimeSpan.Zero);

    internal static AlertChartSeries ServiceLevelAlert()
    {
        var from = Now.AddHours(-2);
        var offered = Enumerable.Range(0, 8).Select(i => (from.AddMinutes(15 * i), 20.0 + (i * 3))).ToList();
        var measure = Enumerable.Range(0, 8).Select(i => new MeasurePoint(from.AddMinutes(15 * (i + 1)), 92.0 - (i * 4))).ToList();
        return new AlertChartSeries("kc-sl", "Servicegrad under målet – Kontaktcenter Stockholm 08:30–10:30", from, Now, offered,
            "Andel besvarade inom 60 s per kvart", ChartUnit.Percent, measure, 80, Now.AddMinutes(-20));
    }

    [Fact]
    public void Render_ServiceLevelAlert_ThresholdOnItsRowAndFiringMarked()
    {
        var picture = AlertChart.Render(ServiceLevelAlert(), withSvg: true);
        File.WriteAllBytes(Support.ChromiumBrowser.ArtifactPath("chart-alert-kc-sl.png"), picture.Png);
        var pixels = new ChartPixels(picture);
        var g = picture.Geometry;

        Assert.Equal((AlertChart.Width, AlertChart.Height), (pixels.Width, pixels.Height));
        Assert.True(pixels.InkShare() > 0.03, $"the plot area is nearly empty ({pixels.InkShare():P1} ink)");
        var width = g.Right - g.Left;
        var row = g.RowOf(80);
        Assert.True(pixels.BestRowNear(row, "#D55E00") > width * 0.6, $"the 80 % threshold should cross the plot at row {row:0}");
        Assert.True(pixels.BestRowNear(row - 30, "#D55E00", 3) < width * 0.2, "a second threshold-coloured line lies 30 rows higher");

        // The firing (10:10, 100 of the window's 120 minutes) is a dashed vertical line in the marker colour.
        var x = (int)Math.Round(g.Left + (width * 100 / 120));
        var marked = Enumerable.Range((int)g.Top + 5, (int)(g.Bottom - g.Top) - 10)
            .Count(y => Enumerable.Range(x - 2, 5).Any(xx => pixels.Is(xx, y, "#CC79A7")));
        Assert.True(marked > (g.Bottom - g.Top) * 0.3, $"the firing should be marked at x {x}: {marked} pixels");

        var texts = pixels.SvgTexts();
        Assert.Contains("Larm 10:10", texts);
        Assert.Contains("Gräns 80 %", texts);
        Assert.Contains("09:00", texts);
        Assert.Contains("10:30", texts);
    }

    [Fact]
    public void Render_WindowAcrossTheClockChange_LabelsStockholmTime()
    {
        // 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC; the window 00:30–02:30 UTC.
        var to = new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.Zero);
        var series = ServiceLevelAlert() with { From = to.AddHours(-2), To = to, Offered = [], Measure = [new MeasurePoint(to.AddMinutes(-5), 40)], FiredAt = to.AddMinutes(-5), Unit = ChartUnit.Count, Threshold = 8 };

        var texts = new ChartPixels(AlertChart.Render(series, withSvg: true)).SvgTexts();

        // 00:30 UTC is 02:30 CEST; an hour later it is 02:30 again (CET); the window ends at 03:30 CET.
        Assert.Equal(2, texts.Count(t => t == "02:30"));
        Assert.Contains("03:30", texts);
        Assert.Contains("Larm 03:25", texts);
    }
}
