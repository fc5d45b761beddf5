namespace Driftvy.Web.Reports.Export;

/// <summary>
/// <c>driftvy report … --charts DIR</c>: every chart of a report as a PNG and an SVG file, named after the division, the
/// row's place and the KPI (<c>kontaktcenter-03-kc-asa.png</c>), for pasting into the written report.
/// </summary>
internal static class ReportChartFiles
{
    /// <summary>Writes the files; returns the paths written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(ReportDocument report, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var chart in ReportCharts.For(report, withSvg: true))
        {
            var stem = Path.Combine(directory, chart.Picture.Name);
            await File.WriteAllBytesAsync(stem + ".png", chart.Picture.Png, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(stem + ".svg", chart.Picture.Svg, cancellationToken).ConfigureAwait(false);
            written.Add(stem + ".png");
            written.Add(stem + ".svg");
        }

        return written;
    }
}
