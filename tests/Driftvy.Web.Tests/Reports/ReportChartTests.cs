using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Driftvy.Web.Reports;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Tests.Support;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace Driftvy.Web.Tests.Reports;

/// <summary>
/// The report's charts: a chart sheet per division in the workbook with each picture beside its KPI's name, the same
/// pictures in the HTML page, and a workbook that LibreOffice prints with its pictures, its units and no cut column.
/// </summary>
public sealed class ReportChartTests
{
    [Fact]
    public void Xlsx_TertialReport_ChartSheetPerDivisionWithPictureBesideEachKpi()
    {
        var report = ReportRenderingTests.T2Report();
        var charted = report.Divisions.ToDictionary(d => d.NameSv, d => d.Rows.Where(r => r.Trend.Any(v => v is not null)).ToList());
        using var doc = SpreadsheetDocument.Open(new MemoryStream(ReportExporter.ToBytes(report, ReportFormat.Xlsx)), false);
        var wb = doc.WorkbookPart!;

        var chartSheets = wb.Workbook.Sheets!.Elements<Sheet>().Where(s => s.Name!.Value!.StartsWith("Diagram ", StringComparison.Ordinal)).ToList();
        Assert.Equal(charted.Count(c => c.Value.Count > 0), chartSheets.Count);
        foreach (var sheet in chartSheets)
        {
            var division = charted.Keys.Single(k => sheet.Name!.Value == ("Diagram " + k)[..Math.Min(31, ("Diagram " + k).Length)]);
            var part = (WorksheetPart)wb.GetPartById(sheet.Id!.Value!);
            var anchors = part.DrawingsPart!.WorksheetDrawing.Elements<Xdr.TwoCellAnchor>().ToList();
            Assert.Equal(charted[division].Count, anchors.Count);
            Assert.Equal(charted[division].Count, part.DrawingsPart.ImageParts.Count());
            var names = part.Worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!, c => c.InnerText);
            for (var i = 0; i < anchors.Count; i++)
            {
                // The picture starts in column B of the row whose column A names the KPI (anchors count rows from 0).
                var row = int.Parse(anchors[i].FromMarker!.RowId!.Text, System.Globalization.CultureInfo.InvariantCulture) + 1;
                Assert.Equal("1", anchors[i].FromMarker!.ColumnId!.Text);
                Assert.StartsWith(charted[division][i].NameSv, names[$"A{row}"], StringComparison.Ordinal);
                var image = (ImagePart)part.DrawingsPart.GetPartById(anchors[i].Descendants<DocumentFormat.OpenXml.Drawing.Blip>().Single().Embed!.Value!);
                using var stream = image.GetStream();
                var header = new byte[8];
                stream.ReadExactly(header);
                Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, header);
            }
        }
    }

    [Fact]
    public async Task ChartFiles_TertialReport_OnePngAndOneSvgPerChartedRow()
    {
        var report = ReportRenderingTests.T2Report();
        var folder = Directory.CreateTempSubdirectory("driftvy-charts-").FullName;
        try
        {
            var written = await ReportChartFiles.WriteAsync(report, folder, TestContext.Current.CancellationToken);

            var charted = report.Divisions.Sum(d => d.Rows.Count(r => r.Trend.Any(v => v is not null)));
            Assert.Equal(charted, Directory.GetFiles(folder, "*.png").Length);
            Assert.Equal(charted, Directory.GetFiles(folder, "*.svg").Length);
            Assert.Equal(2 * charted, written.Count);
            var svg = await File.ReadAllTextAsync(Directory.GetFiles(folder, "kontaktcenter-*.svg").Order(StringComparer.Ordinal).First(), TestContext.Current.CancellationToken);
            Assert.Contains("<svg", svg, StringComparison.Ordinal);
            Assert.Contains("maj", svg, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Xlsx_DivisionSheet_HeaderRowFrozenAndRepeatedOnEachPrintedPage()
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(ReportExporter.ToBytes(ReportRenderingTests.T2Report(), ReportFormat.Xlsx)), false);
        var wb = doc.WorkbookPart!;
        var sheet = wb.Workbook.Sheets!.Elements<Sheet>().First();
        var part = (WorksheetPart)wb.GetPartById(sheet.Id!.Value!);

        var pane = part.Worksheet.Descendants<Pane>().Single();
        Assert.Equal((PaneStateValues.Frozen, 5.0, 1.0, "B6"), (pane.State!.Value, pane.VerticalSplit!.Value, pane.HorizontalSplit!.Value, pane.TopLeftCell!.Value));
        Assert.Equal("Indikator", part.Worksheet.Descendants<Cell>().Single(c => c.CellReference == "A5").InnerText);
        var titles = wb.Workbook.DefinedNames!.Elements<DefinedName>().Single(d => d.Name == "_xlnm.Print_Titles" && d.LocalSheetId?.Value == 0);
        Assert.Equal($"'{sheet.Name}'!$5:$5", titles.Text);
        var setup = part.Worksheet.Descendants<PageSetup>().Single();
        Assert.Equal((OrientationValues.Landscape, 1u, 0u), (setup.Orientation!.Value, setup.FitToWidth!.Value, setup.FitToHeight!.Value));
    }

    [Fact]
    public void Html_TertialReport_EmbedsTheChartPicturesInsteadOfHandWrittenSvg()
    {
        var report = ReportRenderingTests.T2Report();
        var html = System.Text.Encoding.UTF8.GetString(ReportExporter.ToBytes(report, ReportFormat.Html));

        var pictures = Regex.Count(html, "<img src=\"data:image/png;base64,");
        Assert.Equal(report.Divisions.Sum(d => d.Rows.Count(r => r.Trend.Any(v => v is not null))), pictures);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Xlsx_LibreOfficePdf_KeepsPicturesUnitsAndEveryPrintedColumn()
    {
        var office = Requirements.Find("libreoffice") ?? Requirements.Find("soffice");
        Requirements.Require(office is not null, "libreoffice", "apt-get install -y libreoffice-calc-nogui");
        var pdftotext = Requirements.Find("pdftotext");
        Requirements.Require(pdftotext is not null, "pdftotext", "apt-get install -y poppler-utils");
        var ct = TestContext.Current.CancellationToken;
        var report = ReportRenderingTests.T2Report();
        var work = Path.Combine(Path.GetTempPath(), "driftvy-office-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var xlsx = Path.Combine(work, "t2.xlsx");
            await File.WriteAllBytesAsync(xlsx, ReportExporter.ToBytes(report, ReportFormat.Xlsx), ct);
            var profile = new Uri(Path.Combine(work, "profile")).AbsoluteUri;
            var (code, output) = await ReportRenderingTests.RunAsync(office!, ["-env:UserInstallation=" + profile, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", work, xlsx], ct);
            var pdf = Path.Combine(work, "t2.pdf");
            Assert.True(code == 0 && File.Exists(pdf), $"LibreOffice did not convert the workbook (exit {code}): {output}");

            var (textCode, textOutput) = await ReportRenderingTests.RunAsync(pdftotext!, ["-layout", pdf, Path.Combine(work, "t2.txt")], ct);
            Assert.True(textCode == 0, textOutput);
            var pages = (await File.ReadAllTextAsync(Path.Combine(work, "t2.txt"), ct)).Split('\f');
            var tablePages = pages.Where(p => p.Contains("Periodens", StringComparison.Ordinal) || Regex.IsMatch(p, @"\d%")).Where(p => !p.Contains("diagram", StringComparison.Ordinal) && !p.Contains("definitioner", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(tablePages);
            foreach (var page in tablePages)
            {
                // Every table page repeats the header and reaches the last printed column (the suggested verdict).
                Assert.Contains("Indikator", page, StringComparison.Ordinal);
                Assert.Contains("Bedömning", page, StringComparison.Ordinal);
                Assert.Contains("KF:s årsmål", page, StringComparison.Ordinal);
            }

            var tables = string.Join('\n', tablePages);
            Assert.Matches(@"\d %|\d%", tables);
            Assert.Matches(@"\d s\b", tables);

            // The pictures survive: LibreOffice embeds one image per chart.
            var pdfimages = Requirements.Find("pdfimages");
            Requirements.Require(pdfimages is not null, "pdfimages", "apt-get install -y poppler-utils");
            var (listCode, list) = await ReportRenderingTests.RunAsync(pdfimages!, ["-list", pdf], ct);
            Assert.True(listCode == 0, list);
            var images = list.Split('\n').Count(l => Regex.IsMatch(l, @"^\s*\d+\s+\d+\s+image"));
            var charts = report.Divisions.Sum(d => d.Rows.Count(r => r.Trend.Any(v => v is not null)));
            Assert.True(images >= charts, $"the PDF holds {images} images for {charts} charts");

            var pdftoppm = Requirements.Find("pdftoppm");
            Requirements.Require(pdftoppm is not null, "pdftoppm", "apt-get install -y poppler-utils");
            await ReportRenderingTests.RunAsync(pdftoppm!, ["-png", "-r", "50", pdf, Path.Combine(work, "t2-page")], ct);
            foreach (var page in Directory.GetFiles(work, "t2-page*.png"))
            {
                File.Copy(page, ChromiumBrowser.ArtifactPath("report-charts-" + Path.GetFileName(page)), overwrite: true);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

/// <summary>Issue #22's report points: which span each row covers, both figures where the documents leave it open, and reasons in empty cells.</summary>
public sealed class ReportSpanAndReasonTests
{
    [Fact]
    public void StatusLine_TertialMixingAccumulatedAndTertialRows_NamesEachSpanNotJustJanAug()
    {
        var report = ReportRenderingTests.T2Report();

        var line = report.StatusLine();

        Assert.Contains("T2 2026 (jan–aug, ackumulerat)", line, StringComparison.Ordinal);
        Assert.Contains("T2 2026 (maj–aug, endast tertialen)", line, StringComparison.Ordinal);
        Assert.Contains("kolumnen \"Beräknat för\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Period: T2 2026 (jan–aug, ackumulerat).", line, StringComparison.Ordinal);
    }

    [Fact]
    public void XlsxTertial_RowOfTheTertialAlone_CarriesTheYearToDateBesideIt()
    {
        var report = ReportRenderingTests.T2Report();
        var division = report.Divisions.First(d => d.Rows.Any(r => r.PeriodLabel.Contains("endast tertialen", StringComparison.Ordinal) && r.Value is not null)
            && d.Rows.Any(r => r.PeriodLabel.Contains("ackumulerat", StringComparison.Ordinal)));
        var sheet = new XlsxReader(ReportExporter.ToBytes(report, ReportFormat.Xlsx)).Sheets[division.NameSv];
        var header = Enumerable.Range(0, 40).Select(c => (Column: c, Cell: sheet.GetValueOrDefault(XlsxReportWriter.CellRef(c, 5)))).Where(x => x.Cell is not null).ToDictionary(x => x.Cell!.Text!, x => x.Column);
        var rows = division.Rows;

        var tertialOnly = rows.Select((r, i) => (r, i)).First(x => x.r.PeriodLabel.Contains("endast tertialen", StringComparison.Ordinal) && x.r.Value is not null);
        var accumulated = rows.Select((r, i) => (r, i)).First(x => x.r.PeriodLabel.Contains("ackumulerat", StringComparison.Ordinal));
        var ytd = header["Utfall hittills i år (ackumulerat)"];
        var span = header["Beräknat för"];

        Assert.True(span < header["Bedömning (förslag, prognos mot årsmål)"], "the span column is printed (it lies before the verdict)");
        Assert.Equal(tertialOnly.r.PeriodLabel, sheet[XlsxReportWriter.CellRef(span, (uint)(6 + tertialOnly.i))].Text);
        Assert.NotNull(tertialOnly.r.YearToDate);
        Assert.NotNull(sheet[XlsxReportWriter.CellRef(ytd, (uint)(6 + tertialOnly.i))].Number);
        Assert.Equal("= periodens utfall", sheet[XlsxReportWriter.CellRef(ytd, (uint)(6 + accumulated.i))].Text);
    }

    [Fact]
    public void XlsxTertial_EmptyNumberCells_SayWhy()
    {
        var report = ReportRenderingTests.T2Report();
        var xlsx = new XlsxReader(ReportExporter.ToBytes(report, ReportFormat.Xlsx));
        var checkedRows = 0;
        foreach (var division in report.Divisions)
        {
            var sheet = xlsx.Sheets[division.NameSv];
            var header = Enumerable.Range(0, 40).Select(c => (Column: c, Cell: sheet.GetValueOrDefault(XlsxReportWriter.CellRef(c, 5)))).Where(x => x.Cell is not null).ToDictionary(x => x.Cell!.Text!, x => x.Column);
            for (var i = 0; i < division.Rows.Count; i++)
            {
                var row = division.Rows[i];
                var at = (uint)(6 + i);
                if (row.Value is null)
                {
                    Assert.Equal("ingen mätning", sheet[XlsxReportWriter.CellRef(header["Periodens utfall"], at)].Text);
                    checkedRows++;
                }

                if (row.AnnualTarget is null)
                {
                    Assert.Equal("inget mål", sheet[XlsxReportWriter.CellRef(header["Årsmål"], at)].Text);
                    checkedRows++;
                }
            }
        }

        Assert.True(checkedRows > 0, "the test data should hold rows without a value or a target");
    }
}
