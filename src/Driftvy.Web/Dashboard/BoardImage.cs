using Driftvy.Web.Charts;
using ScottPlot;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// <c>GET /api/boards/{id}/image.png</c>: a board's current figures as one picture for intranet pages — per tile its
/// title, KPI, value and target on a card edged in the tile's status colour (the screens' Okabe–Ito colours), with the
/// board's title and the Stockholm time of the figures.
/// </summary>
internal static class BoardImage
{
    public const int DefaultWidth = 1200;
    public const int DefaultHeight = 675;

    /// <summary>Width and height are clamped to 320–3840 × 180–2160 pixels.</summary>
    public static (int Width, int Height) Size(int? width, int? height) =>
        (Math.Clamp(width ?? DefaultWidth, 320, 3840), Math.Clamp(height ?? DefaultHeight, 180, 2160));

    public static byte[] Render(BoardSnapshot board, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(board);
        using var plot = ChartRenderer.NewPlot($"{board.Title} – läget {ChartStyle.Clock(board.GeneratedAt)}");
        plot.HideAxesAndGrid();
        var tiles = board.Tiles;
        var columns = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(tiles.Count * (double)width / height)));
        var rows = Math.Max(1, (int)Math.Ceiling(tiles.Count / (double)columns));
        var fontScale = Math.Clamp(Math.Min(width / (double)columns, height / (double)rows) / 220.0, 0.5, 2.5);
        for (var i = 0; i < tiles.Count; i++)
        {
            var tile = tiles[i];
            double x = i % columns, y = rows - 1 - (i / columns);
            var card = plot.Add.Rectangle(x + 0.04, x + 0.96, y + 0.06, y + 0.94);
            card.FillColor = Colors.White;
            card.LineColor = StatusColor(tile.Status);
            card.LineWidth = 4;
            Text(plot, tile.Title, x + 0.5, y + 0.82, 13 * fontScale, ChartStyle.Text);
            Text(plot, tile.KpiName, x + 0.5, y + 0.67, 11 * fontScale, ChartStyle.Text);
            var value = tile.Value is { } v ? ChartStyle.Number(v, Unit(tile.Unit), precise: Unit(tile.Unit) is ChartUnit.Percent or ChartUnit.Decimal) : "–";
            Text(plot, value, x + 0.5, y + 0.45, 26 * fontScale, StatusColor(tile.Status));
            var target = tile.Target is { } t ? "mål " + ChartStyle.Number(t, Unit(tile.Unit), precise: Unit(tile.Unit) is ChartUnit.Percent or ChartUnit.Decimal) : "inget mål";
            Text(plot, target + (tile.Stale ? " · inaktuell" : string.Empty), x + 0.5, y + 0.2, 11 * fontScale, ChartStyle.Text);
        }

        plot.Axes.SetLimits(0, columns, 0, rows);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static void Text(Plot plot, string text, double x, double y, double size, Color color)
    {
        var label = plot.Add.Text(text, x, y);
        label.LabelFontName = ChartFonts.Family;
        label.LabelFontSize = (float)size;
        label.LabelFontColor = color;
        label.LabelAlignment = Alignment.MiddleCenter;
    }

    /// <summary>The status colours of the screens (on target sky blue, within tolerance orange, off target vermillion).</summary>
    internal static Color StatusColor(string status) => status switch
    {
        "on-target" => Color.FromHex("#0072B2"),
        "near-target" => Color.FromHex("#E69F00"),
        "off-target" => Color.FromHex("#D55E00"),
        _ => Color.FromHex("#777777"),
    };

    private static ChartUnit Unit(string unit) => unit switch
    {
        "percent" => ChartUnit.Percent,
        "count" => ChartUnit.Count,
        "seconds" => ChartUnit.Seconds,
        "days" => ChartUnit.Days,
        _ => ChartUnit.Decimal,
    };

}
