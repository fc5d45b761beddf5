using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Driftvy.Web.Tests.Reports;

/// <summary>A cell as read back from the workbook: its text or number and its number format code.</summary>
internal sealed record XlsxCell(string? Text, double? Number, string FormatCode);

/// <summary>Reads a workbook back with DocumentFormat.OpenXml: sheets by name, cells by reference, with their formats.</summary>
internal sealed class XlsxReader
{
    private static readonly Dictionary<uint, string> BuiltIn = new() { [0] = "General", [1] = "0", [2] = "0.00", [3] = "#,##0", [4] = "#,##0.00", [9] = "0%", [10] = "0.00%" };

    public XlsxReader(byte[] bytes)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var wb = doc.WorkbookPart!;
        var stylesheet = wb.WorkbookStylesPart!.Stylesheet;
        var custom = stylesheet.NumberingFormats?.Elements<NumberingFormat>().ToDictionary(n => n.NumberFormatId!.Value, n => n.FormatCode!.Value!) ?? [];
        var formats = stylesheet.CellFormats!.Elements<CellFormat>().Select(f => f.NumberFormatId?.Value ?? 0)
            .Select(id => custom.TryGetValue(id, out var code) ? code : BuiltIn[id]).ToList();
        foreach (var sheet in wb.Workbook.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)wb.GetPartById(sheet.Id!.Value!);
            var cells = new Dictionary<string, XlsxCell>(StringComparer.Ordinal);
            foreach (var cell in part.Worksheet.Descendants<Cell>())
            {
                var format = formats[(int)(cell.StyleIndex?.Value ?? 0)];
                cells[cell.CellReference!.Value!] = cell.DataType?.Value == CellValues.InlineString
                    ? new XlsxCell(cell.InlineString!.InnerText, null, format)
                    : new XlsxCell(null, double.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture), format);
            }

            Sheets[sheet.Name!.Value!] = cells;
        }

        Title = doc.PackageProperties.Title;
        Created = doc.PackageProperties.Created;
        Modified = doc.PackageProperties.Modified;
    }

    public Dictionary<string, Dictionary<string, XlsxCell>> Sheets { get; } = new(StringComparer.Ordinal);

    public string? Title { get; }

    public DateTime? Created { get; }

    public DateTime? Modified { get; }
}
