using Driftvy.Web.Charts;

namespace Driftvy.Web.Tests.Charts;

/// <summary>
/// Each chart kind drawn from known figures and read back: the picture's size, ink in the plot area, the target line on
/// the pixel row its value belongs to, and Swedish labels in the SVG's text. The pictures are kept as test artefacts.
/// </summary>
public sealed class ChartRenderingTests
{
    private const string TargetHex = "#D55E00";

    private static readonly double?[] ServiceLevel2026 = [82.5, 79.0, 84.1, 86.0, 71.5, null, 88.2, 90.1];

    internal static KpiYearSeries ServiceLevelSeries() => new(
        "kontaktcenter-servicegrad",
        "Servicegrad – Kontaktcenter",
        ChartUnit.Percent,
        2026,
        [.. ServiceLevel2026, null, null, null, null],
        [75.0, 77.5, 80.0, 81.0, 70.0, 65.0, 74.0, 83.0, 85.0, 84.0, 82.0, 79.0],
        80,
        [null, null, null, null, null, null, null, null, 84.0, 84.0, 84.0, 84.0]);

    internal static QueueDaySeries QueueDay()
    {
        var day = new DateTimeOffset(2026, 10, 14, 6, 0, 0, TimeSpan.Zero); // 08:00 in Stockholm (CEST)
        var quarters = Enumerable.Range(0, 40).Select(i => new QueueQuarter(
            day.AddMinutes(15 * i),
            20 + (10 * Math.Sin(i / 6.0)) + 5,
            22 + (8 * Math.Sin(i / 6.0)),
            i % 7 == 3 ? null : 70 + (20 * Math.Cos(i / 5.0)))).ToList();
        return new QueueDaySeries("aldre-direkt-dag", "Äldre direkt – tisdag 14 oktober", quarters, 80,
            [new ChartMark(day.AddHours(1.5), "Driftstörning växel")], 8, 18);
    }

    private static ChartPixels Keep(ChartPicture picture)
    {
        File.WriteAllBytes(Support.ChromiumBrowser.ArtifactPath($"chart-{picture.Name}.png"), picture.Png);
        File.WriteAllText(Support.ChromiumBrowser.ArtifactPath($"chart-{picture.Name}.svg"), picture.Svg);
        return new ChartPixels(picture);
    }

    [Fact]
    public void KpiYearChart_KnownMonths_PictureHasSizeInkAndTargetRow()
    {
        var pixels = Keep(KpiYearChart.Render(ServiceLevelSeries(), 640, 320));

        Assert.Equal((640, 320), (pixels.Width, pixels.Height));
        Assert.True(pixels.InkShare() > 0.01, $"the plot area is nearly empty ({pixels.InkShare():P1} ink)");
        var row = pixels.Picture.Geometry.RowOf(80);
        var width = pixels.Picture.Geometry.Right - pixels.Picture.Geometry.Left;
        var onRow = pixels.BestRowNear(row, TargetHex);
        Assert.True(onRow > width * 0.6, $"the 80 % target line should cross the plot at row {row:0}: {onRow} of {width:0} pixels there");
        Assert.True(pixels.BestRowNear(row + 25, TargetHex, 3) < width * 0.2, "a second target-coloured line lies 25 rows lower");
    }

    [Fact]
    public void KpiYearChart_PercentUnit_SvgHasSwedishMonthsPercentAndDecimalComma()
    {
        var texts = new ChartPixels(KpiYearChart.Render(ServiceLevelSeries())).SvgTexts();

        Assert.Contains("maj", texts);
        Assert.Contains("okt", texts);
        Assert.Contains(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"^\d+ %$"));
        Assert.Contains("Mål 80,0 %", texts);
        Assert.Contains("2025", texts);
        Assert.Contains("Prognos", texts);
        Assert.DoesNotContain(texts, t => t.Contains("100.", StringComparison.Ordinal) || t.Contains("May", StringComparison.Ordinal));
    }

    [Fact]
    public void KpiYearChart_ForecastAndGaps_DrawnDashedAndBroken()
    {
        var picture = KpiYearChart.Render(ServiceLevelSeries());
        var pixels = new ChartPixels(picture);
        var svg = picture.Svg;

        // The forecast (84 % from October to December) is dashed: along its row the colour comes and goes.
        var g = picture.Geometry;
        var row = (int)Math.Round(g.RowOf(84));
        float MonthX(double m) => g.Left + ((g.Right - g.Left) * (float)((m - 0.5) / 12));
        var (from, to) = ((int)MonthX(10.1), (int)MonthX(11.9));
        var dashed = Enumerable.Range(from, to - from).Count(x => Enumerable.Range(row - 1, 3).Any(y => pixels.Is(x, y, "#009E73")));
        Assert.True(dashed > (to - from) * 0.3 && dashed < (to - from) * 0.9, $"the forecast should be dashed: {dashed} of {to - from} pixels coloured");

        // June has no value, so this year's line is two runs, not one through zero.
        Assert.True(System.Text.RegularExpressions.Regex.Count(svg, "stroke=\"#0072B2\"") >= 2, "this year's line should be drawn in two runs around the missing month");
    }

    [Fact]
    public void QueueDayChart_KnownQuarters_TargetOnRightAxisRowAndLabels()
    {
        var pixels = Keep(QueueDayChart.Render(QueueDay(), 800, 360));
        var g = pixels.Picture.Geometry;

        Assert.Equal((800, 360), (pixels.Width, pixels.Height));
        Assert.Equal((0.0, 100.0), (g.YMin, g.YMax));
        Assert.True(pixels.InkShare() > 0.05, $"the plot area is nearly empty ({pixels.InkShare():P1} ink)");
        Assert.True(pixels.BestRowNear(g.RowOf(80), TargetHex) > (g.Right - g.Left) * 0.5, "the 80 % service level target should cross the plot at its row");
        var texts = pixels.SvgTexts();
        Assert.Contains("08:00", texts);
        Assert.Contains("12:00", texts);
        Assert.Contains("09:30 Driftstörning växel", texts);
        Assert.Contains("Mål servicegrad 80 %", texts);
        Assert.Contains("Kontakter per kvart", texts);
    }

    [Fact]
    public void TeamVolumeChart_PerFteAgainstTarget_TargetRowAndDecimalComma()
    {
        var series = new TeamVolumeSeries("lon-volym", "Lön – lönespecifikationer per årsarbetare", 2026,
            [410.5, 398.0, 420.2, 415.0, 0.5, null, 380.0, 402.5, null, null, null, null], 405.5);
        var pixels = Keep(TeamVolumeChart.RenderVolume(series));
        var g = pixels.Picture.Geometry;

        Assert.True(pixels.InkShare() > 0.05);
        Assert.True(pixels.BestRowNear(g.RowOf(405.5), TargetHex) > (g.Right - g.Left) * 0.5, "the target line should cross the plot at 405,5");
        var texts = pixels.SvgTexts();
        Assert.Contains("Mål 405,5", texts);
        Assert.Contains("jan", texts);
    }

    [Fact]
    public void TeamVolumeChart_BacklogBuckets_StackedInBucketColours()
    {
        var series = new BacklogSeries("kundreskontra-balans", "Kundreskontra – ärenden i balans", 2026,
        [
            new BacklogBucket("0–5 dagar", [120, 130, 90, 100]),
            new BacklogBucket("6–20 dagar", [40, 60, 30, 20]),
            new BacklogBucket("över 20 dagar", [10, 25, 5, 0]),
        ]);
        var pixels = Keep(TeamVolumeChart.RenderBacklog(series));
        var g = pixels.Picture.Geometry;

        // February's stack: its top (215 cases) lies on the row the axis gives 215; the oldest bucket is drawn on top.
        var x = (int)(g.Left + ((g.Right - g.Left) * (2 - 0.5) / 4));
        var top = (int)g.RowOf(215);
        Assert.True(pixels.Is(x, top + 3, "#E69F00"), "the oldest bucket should be on top of February's stack");
        Assert.False(pixels.Is(x, top - 4, "#E69F00"), "the stack should end at February's 215 cases");
        Assert.True(pixels.Is(x, (int)g.RowOf(60), "#56B4E9"), "the youngest bucket should be at the bottom");
        var texts = pixels.SvgTexts();
        Assert.Contains("0–5 dagar", texts);
        Assert.Contains("över 20 dagar", texts);
    }

    [Fact]
    public void ChartFonts_Installed_SwedishGlyphsPresentAndTitleDrawn()
    {
        ChartFonts.EnsureAvailable();
        Assert.Null(ChartFonts.Check(ChartFonts.Family));
        Assert.NotNull(ChartFonts.Check("Ingen sådan typsnittsfamilj"));

        // The title really is in the picture: its band above the plot carries ink, and the SVG names the font.
        var picture = KpiYearChart.Render(ServiceLevelSeries() with { Title = "Åtgärdade ärenden – Äldre direkt" });
        var pixels = new ChartPixels(picture);
        var ink = 0;
        for (var y = 0; y < (int)picture.Geometry.Top; y++)
        {
            for (var x = 0; x < pixels.Width; x++)
            {
                ink += pixels.IsWhite(x, y) ? 0 : 1;
            }
        }

        Assert.True(ink > 200, $"the title band holds only {ink} dark pixels");
        Assert.Contains("font-family=\"DejaVu Sans\"", picture.Svg, StringComparison.Ordinal);
        Assert.Contains("Åtgärdade ärenden – Äldre direkt", pixels.SvgTexts());
    }
}
