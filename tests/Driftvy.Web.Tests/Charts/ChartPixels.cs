using System.Text.RegularExpressions;
using Driftvy.Web.Charts;

namespace Driftvy.Web.Tests.Charts;

/// <summary>Reads a rendered chart back: its pixels (decoded from the PNG) and the text of its SVG.</summary>
internal sealed partial class ChartPixels
{
    private readonly byte[,,] rgb;

    public ChartPixels(ChartPicture picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        Picture = picture;
        using var image = new ScottPlot.Image(picture.Png);
        Width = image.Width;
        Height = image.Height;
        rgb = image.GetArrayRGB();
    }

    public ChartPicture Picture { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Whether the pixel at (x, y) is within a small distance of <paramref name="hex"/>.</summary>
    public bool Is(int x, int y, string hex, int tolerance = 40)
    {
        var c = ScottPlot.Color.FromHex(hex);
        return Math.Abs(rgb[y, x, 0] - c.R) + Math.Abs(rgb[y, x, 1] - c.G) + Math.Abs(rgb[y, x, 2] - c.B) <= tolerance;
    }

    public bool IsWhite(int x, int y) => rgb[y, x, 0] > 245 && rgb[y, x, 1] > 245 && rgb[y, x, 2] > 245;

    /// <summary>How many pixels of row <paramref name="y"/> inside the data area have the colour.</summary>
    public int CountInRow(int y, string hex)
    {
        var g = Picture.Geometry;
        var count = 0;
        for (var x = (int)Math.Ceiling(g.Left); x < (int)g.Right; x++)
        {
            count += Is(x, y, hex) ? 1 : 0;
        }

        return count;
    }

    /// <summary>The most pixels of the colour in any one row within ±<paramref name="band"/> of <paramref name="y"/>.</summary>
    public int BestRowNear(float y, string hex, int band = 1) =>
        Enumerable.Range((int)Math.Round(y) - band, (2 * band) + 1).Where(r => r >= 0 && r < Height).Max(r => CountInRow(r, hex));

    /// <summary>The share of the data area's pixels that are not white.</summary>
    public double InkShare()
    {
        var g = Picture.Geometry;
        int ink = 0, all = 0;
        for (var y = (int)Math.Ceiling(g.Top) + 2; y < (int)g.Bottom - 2; y++)
        {
            for (var x = (int)Math.Ceiling(g.Left) + 2; x < (int)g.Right - 2; x++)
            {
                all++;
                ink += IsWhite(x, y) ? 0 : 1;
            }
        }

        return (double)ink / all;
    }

    /// <summary>Every text element of the SVG, trimmed.</summary>
    public IReadOnlyList<string> SvgTexts() =>
        [.. TextElement().Matches(Picture.Svg).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value).Trim())];

    [GeneratedRegex(@"<text[^>]*>(.*?)</text>", RegexOptions.Singleline)]
    private static partial Regex TextElement();
}
