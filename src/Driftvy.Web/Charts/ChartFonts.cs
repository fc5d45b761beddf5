namespace Driftvy.Web.Charts;

/// <summary>A chart font that cannot be found: text would come out as boxes, so the chart is refused instead.</summary>
internal sealed class ChartFontMissingException(string message) : InvalidOperationException(message);

/// <summary>
/// The charts' font. Every chart is drawn in DejaVu Sans (Debian package <c>fonts-dejavu-core</c>): it has the Swedish
/// letters, the minus sign and the narrow space the Swedish number format uses. When the font is not installed the
/// renderer would fall back to a face without those glyphs and draw boxes; this check turns that into an error.
/// </summary>
internal static class ChartFonts
{
    public const string Family = "DejaVu Sans";

    /// <summary>Every character the charts write besides ASCII: Swedish letters, sv-SE's minus and group separator, en dash.</summary>
    public const string SwedishSample = "åäöÅÄÖ\u2212\u00A0\u2013 85 %";

    private static readonly Lazy<string?> Problem = new(() => Check(Family));

    /// <summary>Throws <see cref="ChartFontMissingException"/> when the charts' font is missing or lacks a Swedish glyph.</summary>
    public static void EnsureAvailable()
    {
        if (Problem.Value is { } problem)
        {
            throw new ChartFontMissingException(problem);
        }
    }

    /// <summary>Why <paramref name="family"/> cannot draw the charts' text, or null when it can.</summary>
    internal static string? Check(string family)
    {
        // The font manager answers a missing family with its default face: compare the name it actually gave.
        var typeface = ScottPlot.Fonts.GetTypeface(family, bold: false, italic: false);
        if (typeface is null || !string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase))
        {
            return $"The chart font '{family}' is not installed (Debian: apt-get install fonts-dejavu-core); charts would draw boxes instead of text.";
        }

        var missing = SwedishSample.Count(ch => !typeface.ContainsGlyph(ch));
        return missing > 0
            ? $"The chart font '{family}' lacks {missing} of the Swedish characters the charts write."
            : null;
    }
}
