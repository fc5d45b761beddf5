namespace Driftvy.Web.Charts;

/// <summary>
/// One rendered chart: the PNG and the SVG of the same plot, and where its data area lies (for pictures that are
/// checked or annotated after rendering).
/// </summary>
/// <param name="Name">A file-name-safe stem, e.g. <c>kontaktcenter-01-servicegrad</c>.</param>
/// <param name="Title">The chart's Swedish title.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Png">The PNG file.</param>
/// <param name="Svg">The SVG document of the same plot.</param>
/// <param name="Geometry">Where the data area lies, against the axis the target line is drawn on.</param>
internal sealed record ChartPicture(string Name, string Title, int Width, int Height, byte[] Png, string Svg, ChartGeometry Geometry);

/// <summary>The data area in pixels (from the picture's top left) and the left axis' value range at its bottom and top.</summary>
internal sealed record ChartGeometry(float Left, float Top, float Right, float Bottom, double YMin, double YMax)
{
    /// <summary>The pixel row a value of the left axis is drawn on.</summary>
    public float RowOf(double value) => (float)(Bottom - ((value - YMin) / (YMax - YMin) * (Bottom - Top)));
}
