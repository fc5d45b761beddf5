namespace Driftvy.Web.Sources.Ingestion;

/// <summary>
/// Imported text is stored exactly as received, including a leading <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c>
/// that a spreadsheet would read as a formula. Any export to CSV or Excel writes text cells through
/// <see cref="ForExport"/>, so such a value is shown, never evaluated.
/// </summary>
public static class SpreadsheetText
{
    public static bool LooksLikeFormula(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        // A spreadsheet skips leading blanks before it decides a cell is a formula, a tab or line break at the start
        // can start a new cell, and some read the full-width signs as their ASCII forms.
        foreach (var c in value)
        {
            if (c is '\t' or '\r' or '\n')
            {
                return true;
            }

            if (!char.IsWhiteSpace(c) && !char.IsControl(c))
            {
                return c is '=' or '+' or '-' or '@' or '\uFF1D' or '\uFF0B' or '\uFF0D' or '\uFF20';
            }
        }

        return false;
    }

    /// <summary>The value with a leading apostrophe when a spreadsheet would otherwise evaluate it.</summary>
    public static string ForExport(string? value) => LooksLikeFormula(value) ? "'" + value : value ?? "";
}
