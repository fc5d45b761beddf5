using System.Globalization;
using System.IO.Compression;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using A = DocumentFormat.OpenXml.Drawing;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace Driftvy.Web.Reports.Export;

/// <summary>
/// The report as an Excel workbook: one sheet per division and a definitions sheet (each KPI's formula
/// and version, and the inputs' checksums). Numbers are stored as numbers with real formats (percentages
/// as fractions with <c>0.0%</c>, counts <c>#,##0</c>). The package is deterministic: relationship ids are
/// fixed, the document properties carry the report's computation time, and the zip is rewritten with
/// fixed entry times, so a frozen report exports to the same bytes every time. Printed, every sheet is landscape A4
/// fitted to the page width with the table's header row repeated on each page and the panes frozen below it; each
/// division's charts sheet ("Diagram …") carries one picture per KPI beside the KPI's name.
/// </summary>
internal static class XlsxReportWriter
{
    // Style indexes into CellFormats below.
    private const uint StyleText = 0;
    private const uint StyleBold = 1;
    private const uint StyleTitle = 2;
    private const uint StyleWrapHeader = 3;

    private static readonly Dictionary<NumberStyle, (uint Style, uint FormatId, string Code)> Formats = new()
    {
        [NumberStyle.Percent] = (4, 164, "0.0%"),
        [NumberStyle.Integer] = (5, 1, "0"),
        [NumberStyle.OneDecimal] = (6, 165, "0.0"),
        [NumberStyle.GroupedInteger] = (7, 3, "#,##0"),
        [NumberStyle.GroupedOneDecimal] = (8, 166, "#,##0.0"),
        [NumberStyle.Seconds] = (9, 167, "0\" s\""),
        [NumberStyle.Days] = (10, 168, "0.0\" dagar\""),
    };

    /// <summary>The Excel number format code each style writes (for tests and documentation).</summary>
    public static string FormatCode(NumberStyle style) => Formats[style].Code;

    public static void Write(ReportDocument report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        using var raw = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(raw, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = doc.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            var styles = workbookPart.AddNewPart<WorkbookStylesPart>("rIdStyles");
            styles.Stylesheet = Stylesheet();
            var sheets = new Sheets();
            var columns = ReportColumns.For(report);
            uint sheetId = 1;
            var printAreas = new DefinedNames();
            var printTitles = new List<DefinedName>();
            var printTo = columns.Select((c, i) => (c.Key, i)).Where(x => x.Key == "judgement").Select(x => x.i).DefaultIfEmpty(columns.Count - 1).First();
            var usedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var charts = ReportCharts.For(report).ToList();
            var chartSheets = new List<(ReportDivision Division, List<ReportChart> Charts)>();
            foreach (var division in report.Divisions)
            {
                var part = workbookPart.AddNewPart<WorksheetPart>(string.Create(CultureInfo.InvariantCulture, $"rIdSheet{sheetId}"));
                part.Worksheet = DivisionSheet(report, division, columns, out var headerRow);
                var name = SheetName(division.NameSv, usedNames);
                sheets.Append(new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = sheetId, Name = name });

                // The printed page is the report's own table (through the suggested verdict); the basis columns stay on screen.
                var lastRow = part.Worksheet.GetFirstChild<SheetData>()!.Elements<Row>().Last().RowIndex!.Value;
                var range = CellRef(printTo, lastRow);
                var letters = range[..^lastRow.ToString(CultureInfo.InvariantCulture).Length];
                printAreas.Append(new DefinedName(string.Create(CultureInfo.InvariantCulture, $"'{name}'!$A$1:${letters}${lastRow}"))
                {
                    Name = "_xlnm.Print_Area",
                    LocalSheetId = sheetId - 1,
                });
                printTitles.Add(new DefinedName(string.Create(CultureInfo.InvariantCulture, $"'{name}'!${headerRow}:${headerRow}"))
                {
                    Name = "_xlnm.Print_Titles",
                    LocalSheetId = sheetId - 1,
                });
                var divisionCharts = charts.Where(c => ReferenceEquals(c.Division, division)).ToList();
                if (divisionCharts.Count > 0)
                {
                    chartSheets.Add((division, divisionCharts));
                }

                sheetId++;
            }

            foreach (var title in printTitles)
            {
                printAreas.Append(title);
            }

            var definitions = workbookPart.AddNewPart<WorksheetPart>(string.Create(CultureInfo.InvariantCulture, $"rIdSheet{sheetId}"));
            definitions.Worksheet = DefinitionsSheet(report);
            sheets.Append(new Sheet { Id = workbookPart.GetIdOfPart(definitions), SheetId = sheetId, Name = SheetName("Definitioner", usedNames) });
            sheetId++;

            // The chart sheets come after the tables and definitions, so the sheets a reader looks up by position stay put.
            foreach (var (division, divisionCharts) in chartSheets)
            {
                var part = workbookPart.AddNewPart<WorksheetPart>(string.Create(CultureInfo.InvariantCulture, $"rIdSheet{sheetId}"));
                part.Worksheet = ChartSheet(report, division, divisionCharts, part);
                sheets.Append(new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = sheetId, Name = SheetName("Diagram " + division.NameSv, usedNames) });
                sheetId++;
            }

            workbookPart.Workbook.Append(sheets);
            workbookPart.Workbook.Append(printAreas);

            var core = doc.AddCoreFilePropertiesPart();
            using (var s = core.GetStream(FileMode.Create, FileAccess.Write))
            {
                WriteCoreProperties(s, report);
            }

            workbookPart.Workbook.Save();
        }

        Canonicalise(raw, output, report.GeneratedAt);
    }

    private static Worksheet DivisionSheet(ReportDocument report, ReportDivision division, IReadOnlyList<ReportColumn> columns, out uint headerRow)
    {
        var data = new SheetData();
        uint rowIndex = 1;
        data.Append(TextRow(rowIndex++, StyleTitle, $"{report.Title} – {division.NameSv}"));
        data.Append(TextRow(rowIndex++, StyleText, report.StatusLine()));
        if (report.Kind == ReportKind.Tertial)
        {
            data.Append(TextRow(rowIndex++, StyleText, "Bedömningen är ett förslag utifrån prognosen (utfallet i VB) mot årsmålet; den bekräftas av den som skriver rapporten."));
        }

        rowIndex++;
        headerRow = rowIndex;
        var header = new Row { RowIndex = rowIndex };
        for (var c = 0; c < columns.Count; c++)
        {
            header.Append(TextCell(CellRef(c, rowIndex), columns[c].Caption, StyleWrapHeader));
        }

        data.Append(header);
        rowIndex++;
        foreach (var r in division.Rows)
        {
            var row = new Row { RowIndex = rowIndex };
            for (var c = 0; c < columns.Count; c++)
            {
                var value = columns[c].Value(r);
                var reference = CellRef(c, rowIndex);
                switch (value)
                {
                    case null when columns[c].Empty?.Invoke(r) is { } reason:
                        row.Append(TextCell(reference, reason, StyleText));
                        break;
                    case null:
                        break;
                    case double d:
                        var style = columns[c].Style(r);
                        row.Append(NumberCell(reference, style == NumberStyle.Percent ? d / 100 : d, Formats[style].Style));
                        break;
                    default:
                        row.Append(TextCell(reference, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, StyleText));
                        break;
                }
            }

            data.Append(row);
            rowIndex++;
        }

        var widths = columns.Select(c => c.Key switch
        {
            "indicator" => 48.0,
            "scope" or "judgement" or "status" or "computed_over" or "kpi" => 22.0,
            "forecast_method" or "basis" or "no_value_reason" => 40.0,
            _ => 14.0,
        }).ToList();
        return new Worksheet(PrintProperties(), FrozenBelow(headerRow), Columns(widths), data, Margins(), LandscapeA4());
    }

    // The header row and the indicator column stay in view while scrolling.
    private static SheetViews FrozenBelow(uint headerRow) => new(new SheetView(
        new Pane
        {
            HorizontalSplit = 1,
            VerticalSplit = headerRow,
            TopLeftCell = CellRef(1, headerRow + 1),
            ActivePane = PaneValues.BottomRight,
            State = PaneStateValues.Frozen,
        },
        new Selection { Pane = PaneValues.BottomRight })
    { WorkbookViewId = 0 });

    // Picture size on the sheet: 0.75 of the rendered pixels, so the 640 × 320 PNG prints sharp at 480 × 240 points.
    private const long EmuPerPixel = 9525;
    private const double PictureScale = 0.75;

    /// <summary>A division's charts: per KPI its name (and team, period) in column A and its picture beside it in column B.</summary>
    private static Worksheet ChartSheet(ReportDocument report, ReportDivision division, List<ReportChart> charts, WorksheetPart part)
    {
        var drawingPart = part.AddNewPart<DrawingsPart>("rIdDrawing1");
        var drawing = new Xdr.WorksheetDrawing();
        drawing.AddNamespaceDeclaration("xdr", "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing");
        drawing.AddNamespaceDeclaration("a", "http://schemas.openxmlformats.org/drawingml/2006/main");
        var data = new SheetData();
        uint rowIndex = 1;
        data.Append(TextRow(rowIndex++, StyleTitle, $"{report.Title} – {division.NameSv}: diagram"));
        data.Append(TextRow(rowIndex++, StyleText, report.StatusLine()));
        rowIndex++;
        var pictureHeightPt = 0.0;
        for (var i = 0; i < charts.Count; i++)
        {
            var chart = charts[i];
            var imageId = string.Create(CultureInfo.InvariantCulture, $"rIdImage{i + 1}");
            var image = drawingPart.AddImagePart(ImagePartType.Png, imageId);
            using (var png = new MemoryStream(chart.Picture.Png))
            {
                image.FeedData(png);
            }

            var widthEmu = (long)(chart.Picture.Width * PictureScale * EmuPerPixel);
            var heightEmu = (long)(chart.Picture.Height * PictureScale * EmuPerPixel);
            pictureHeightPt = chart.Picture.Height * PictureScale * 0.75;
            var row = new Row { RowIndex = rowIndex, Height = pictureHeightPt + 6, CustomHeight = true };
            var caption = $"{chart.Row.NameSv}\n{chart.Row.ScopeSv}\n{chart.Row.PeriodLabel}";
            row.Append(TextCell(CellRef(0, rowIndex), caption, StyleWrapHeader));
            data.Append(row);
            drawing.Append(Anchor(rowIndex - 1, (uint)(i + 1), imageId, chart.Picture.Title, widthEmu, heightEmu));
            rowIndex++;
        }

        drawingPart.WorksheetDrawing = drawing;
        var widths = new List<double> { 40, (charts[0].Picture.Width * PictureScale / 7.0) + 4 };
        return new Worksheet(PrintProperties(), Columns(widths), data, Margins(), LandscapeA4(), new Drawing { Id = "rIdDrawing1" });
    }

    private static Xdr.TwoCellAnchor Anchor(uint row, uint id, string imageId, string title, long widthEmu, long heightEmu)
    {
        var zero = "0";
        return new Xdr.TwoCellAnchor(
            new Xdr.FromMarker(new Xdr.ColumnId("1"), new Xdr.ColumnOffset(zero), new Xdr.RowId(row.ToString(CultureInfo.InvariantCulture)), new Xdr.RowOffset(zero)),
            new Xdr.ToMarker(
                new Xdr.ColumnId("1"),
                new Xdr.ColumnOffset(widthEmu.ToString(CultureInfo.InvariantCulture)),
                new Xdr.RowId(row.ToString(CultureInfo.InvariantCulture)),
                new Xdr.RowOffset(heightEmu.ToString(CultureInfo.InvariantCulture))),
            new Xdr.Picture(
                new Xdr.NonVisualPictureProperties(
                    new Xdr.NonVisualDrawingProperties { Id = id + 1, Name = string.Create(CultureInfo.InvariantCulture, $"Diagram {id}"), Description = title },
                    new Xdr.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true })),
                new Xdr.BlipFill(new A.Blip { Embed = imageId }, new A.Stretch(new A.FillRectangle())),
                new Xdr.ShapeProperties(
                    new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = widthEmu, Cy = heightEmu }),
                    new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })),
            new Xdr.ClientData())
        { EditAs = Xdr.EditAsValues.OneCell };
    }

    private static Worksheet DefinitionsSheet(ReportDocument report)
    {
        var data = new SheetData();
        uint rowIndex = 1;
        data.Append(TextRow(rowIndex++, StyleTitle, $"{report.Title} – definitioner"));
        data.Append(TextRow(rowIndex++, StyleText, "Varje indikator beräknas med den version av definitionen som gäller periodens första dag."));
        rowIndex++;
        string[] captions = ["KPI", "Version", "Gäller från", "Indikator", "Enhet", "Formel", "Formula (English)", "Tolkning", "Källa"];
        var header = new Row { RowIndex = rowIndex };
        for (var c = 0; c < captions.Length; c++)
        {
            header.Append(TextCell(CellRef(c, rowIndex), captions[c], StyleWrapHeader));
        }

        data.Append(header);
        rowIndex++;
        foreach (var d in report.Definitions)
        {
            var row = new Row { RowIndex = rowIndex };
            row.Append(TextCell(CellRef(0, rowIndex), d.KpiId, StyleText));
            row.Append(NumberCell(CellRef(1, rowIndex), d.Version, Formats[NumberStyle.Integer].Style));
            row.Append(TextCell(CellRef(2, rowIndex), d.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StyleText));
            row.Append(TextCell(CellRef(3, rowIndex), d.NameSv, StyleText));
            row.Append(TextCell(CellRef(4, rowIndex), d.Unit, StyleText));
            row.Append(TextCell(CellRef(5, rowIndex), d.FormulaSv, StyleText));
            row.Append(TextCell(CellRef(6, rowIndex), d.FormulaEn, StyleText));
            if (d.BasisNote is not null)
            {
                row.Append(TextCell(CellRef(7, rowIndex), d.BasisNote, StyleText));
            }

            if (d.Source is not null)
            {
                row.Append(TextCell(CellRef(8, rowIndex), d.Source, StyleText));
            }

            data.Append(row);
            rowIndex++;
        }

        rowIndex++;
        data.Append(TextRow(rowIndex++, StyleBold, "Indata (SHA-256)"));
        foreach (var (part, hash) in report.InputChecksums.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var row = new Row { RowIndex = rowIndex };
            row.Append(TextCell(CellRef(0, rowIndex), part, StyleText));
            row.Append(TextCell(CellRef(1, rowIndex), hash, StyleText));
            data.Append(row);
            rowIndex++;
        }

        return new Worksheet(PrintProperties(), Columns([36, 9, 12, 48, 14, 60, 60, 60, 12]), data, Margins(), LandscapeA4());
    }

    // Printed (or converted to PDF) a sheet fits the page width in landscape A4: the table reads as in the report.
    private static SheetProperties PrintProperties() => new(new PageSetupProperties { FitToPage = true });

    private static PageMargins Margins() => new() { Left = 0.4, Right = 0.4, Top = 0.5, Bottom = 0.5, Header = 0.3, Footer = 0.3 };

    private static PageSetup LandscapeA4() => new() { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 };

    private static Columns Columns(List<double> widths)
    {
        var cols = new Columns();
        for (var i = 0; i < widths.Count; i++)
        {
            cols.Append(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = widths[i], CustomWidth = true });
        }

        return cols;
    }

    private static Row TextRow(uint rowIndex, uint style, string text)
    {
        var row = new Row { RowIndex = rowIndex };
        row.Append(TextCell(CellRef(0, rowIndex), text, style));
        return row;
    }

    private static Cell TextCell(string reference, string text, uint style) => new(new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }))
    {
        CellReference = reference,
        DataType = CellValues.InlineString,
        StyleIndex = style,
    };

    private static Cell NumberCell(string reference, double value, uint style) => new(new CellValue(value.ToString("R", CultureInfo.InvariantCulture)))
    {
        CellReference = reference,
        StyleIndex = style,
    };

    internal static string CellRef(int column, uint row)
    {
        var name = string.Empty;
        for (var c = column + 1; c > 0; c = (c - 1) / 26)
        {
            name = (char)('A' + ((c - 1) % 26)) + name;
        }

        return name + row.ToString(CultureInfo.InvariantCulture);
    }

    private static string SheetName(string wanted, HashSet<string> used)
    {
        var clean = new string([.. wanted.Where(ch => ch is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\'))]);
        clean = clean.Length > 31 ? clean[..31] : clean;
        var name = clean;
        for (var i = 2; !used.Add(name); i++)
        {
            var suffix = string.Create(CultureInfo.InvariantCulture, $" {i}");
            name = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }

        return name;
    }

    private static Stylesheet Stylesheet()
    {
        var numberingFormats = new NumberingFormats();
        foreach (var (_, (_, id, code)) in Formats.Where(f => f.Value.FormatId >= 164).OrderBy(f => f.Value.FormatId))
        {
            numberingFormats.Append(new NumberingFormat { NumberFormatId = id, FormatCode = code });
        }

        numberingFormats.Count = (uint)numberingFormats.ChildElements.Count;
        var fonts = new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 14 }, new FontName { Val = "Calibri" }))
        { Count = 3 };
        var fills = new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }))
        { Count = 2 };
        var borders = new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 };
        var cellFormats = new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, ApplyFont = true },
            new CellFormat { NumberFormatId = 0, FontId = 2, FillId = 0, BorderId = 0, ApplyFont = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, ApplyFont = true, ApplyAlignment = true });
        foreach (var (_, (_, id, _)) in Formats.OrderBy(f => f.Value.Style))
        {
            cellFormats.Append(new CellFormat { NumberFormatId = id, FontId = 0, FillId = 0, BorderId = 0, ApplyNumberFormat = true });
        }

        cellFormats.Count = (uint)cellFormats.ChildElements.Count;
        return new Stylesheet(numberingFormats, fonts, fills, borders, cellFormats);
    }

    private static void WriteCoreProperties(Stream stream, ReportDocument report)
    {
        const string cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
        const string dc = "http://purl.org/dc/elements/1.1/";
        const string dcterms = "http://purl.org/dc/terms/";
        const string xsi = "http://www.w3.org/2001/XMLSchema-instance";
        var at = report.GeneratedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        using var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false) });
        w.WriteStartDocument(true);
        w.WriteStartElement("cp", "coreProperties", cp);
        w.WriteAttributeString("xmlns", "dc", null, dc);
        w.WriteAttributeString("xmlns", "dcterms", null, dcterms);
        w.WriteAttributeString("xmlns", "xsi", null, xsi);
        w.WriteElementString("title", dc, report.Title);
        w.WriteElementString("creator", dc, "Driftvy");
        w.WriteStartElement("created", dcterms);
        w.WriteAttributeString("type", xsi, "dcterms:W3CDTF");
        w.WriteString(at);
        w.WriteEndElement();
        w.WriteStartElement("modified", dcterms);
        w.WriteAttributeString("type", xsi, "dcterms:W3CDTF");
        w.WriteString(at);
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    /// <summary>
    /// Rewrites the package with the same entries in name order and a fixed entry time (the report's
    /// time), and renames any relationship id the packaging layer generated at random, so equal reports
    /// give equal bytes.
    /// </summary>
    private static void Canonicalise(MemoryStream raw, Stream output, DateTimeOffset at)
    {
        raw.Position = 0;
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        using (var zip = new ZipArchive(raw, ZipArchiveMode.Read, leaveOpen: true))
        {
            foreach (var e in zip.Entries)
            {
                using var s = e.Open();
                using var ms = new MemoryStream();
                s.CopyTo(ms);
                entries[e.FullName] = ms.ToArray();
            }
        }

        // Relationship ids the packaging layer picks itself look like "R" + 16 hex digits; number them instead.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in entries.Keys.Where(n => n.EndsWith(".rels", StringComparison.Ordinal)).ToList())
        {
            var text = System.Text.Encoding.UTF8.GetString(entries[name]);
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, "Id=\"(R[0-9a-f]{16})\""))
            {
                if (!ids.ContainsKey(m.Groups[1].Value))
                {
                    ids[m.Groups[1].Value] = string.Create(CultureInfo.InvariantCulture, $"rIdPkg{ids.Count + 1}");
                }
            }
        }

        if (ids.Count > 0)
        {
            foreach (var name in entries.Keys.Where(n => n.EndsWith(".rels", StringComparison.Ordinal) || n.EndsWith(".xml", StringComparison.Ordinal)).ToList())
            {
                var text = System.Text.Encoding.UTF8.GetString(entries[name]);
                var replaced = ids.Aggregate(text, (t, kv) => t.Replace("\"" + kv.Key + "\"", "\"" + kv.Value + "\"", StringComparison.Ordinal));
                if (!ReferenceEquals(replaced, text) && replaced != text)
                {
                    entries[name] = System.Text.Encoding.UTF8.GetBytes(replaced);
                }
            }
        }

        // Zip entry times have two-second resolution and no zone; the report time, in UTC, within the zip range.
        var local = at.UtcDateTime;
        var stamp = new DateTimeOffset(Math.Clamp(local.Year, 1980, 2107), local.Month, local.Day, local.Hour, local.Minute, local.Second / 2 * 2, TimeSpan.Zero);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            // [Content_Types].xml first, as Office writes it.
            foreach (var (name, bytes) in entries.OrderBy(kv => kv.Key == "[Content_Types].xml" ? 0 : 1).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = stamp;
                using var s = entry.Open();
                s.Write(bytes);
            }
        }

        buffer.Position = 0;
        buffer.CopyTo(output);
    }
}
