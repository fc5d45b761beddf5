using System.Globalization;
using System.Text;

namespace Driftvy.Web.Reports.Export;

/// <summary>
/// The report as one CSV table (a division column first), for Swedish Excel: semicolon separators,
/// decimal comma, UTF-8 with a byte-order mark, CRLF line ends. Numbers are unrounded (percent 0–100),
/// so a controller can redo any figure; the same columns as the workbook.
/// </summary>
internal static class CsvReportWriter
{
    public static void Write(ReportDocument report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        var columns = ReportColumns.For(report);
        var sb = new StringBuilder();
        Line(sb, ["Område", .. columns.Select(c => c.Caption), "Enhet"]);
        foreach (var division in report.Divisions)
        {
            foreach (var r in division.Rows)
            {
                Line(sb, [Text(division.NameSv), .. columns.Select(c => Format(c.Value(r))), Text(r.Unit)]);
            }
        }

        var bytes = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray();
        output.Write(bytes);
    }

    /// <summary>A number as the CSV writes it: shortest round-trip form with a decimal comma.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture).Replace('.', ',');

    // Text goes through the one defuser every export uses; numbers (a negative one starts with '-') do not.
    private static string? Format(object? value) => value switch
    {
        null => null,
        double d => Number(d),
        string s => Text(s),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string Text(string? value) => Sources.Ingestion.SpreadsheetText.ForExport(value);

    private static void Line(StringBuilder sb, IEnumerable<string?> fields)
    {
        sb.AppendJoin(';', fields.Select(Quote));
        sb.Append("\r\n");
    }

    private static string Quote(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return string.Empty;
        }

        return field.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
