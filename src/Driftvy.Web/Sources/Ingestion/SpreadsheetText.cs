namespace Driftvy.Web.Sources.Ingestion;

/// <summary>
/// Imported text is stored exactly as received, including a leading <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c>
/// that a spreadsheet would read as a formula. Any export to CSV or Excel writes text cells through
/// <see cref="ForExport"/>, so such a value is shown, never evaluated.
/// </summary>
public static class SpreadsheetText
{
    public static bool LooksLikeFormula(string? value) =>
        !string.IsNullOrEmpty(value) && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>The value with a leading apostrophe when a spreadsheet would otherwise evaluate it.</summary>
    public static string ForExport(string? value) => LooksLikeFormula(value) ? "'" + value : value ?? "";
}
