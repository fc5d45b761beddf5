using System.Diagnostics;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Driftvy.Web.Reports;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Reports;

/// <summary>
/// The workbook is valid Office Open XML (what Excel checks before offering a repair) and LibreOffice opens
/// and prints it headless; the first page is kept as a PNG in the test artifacts.
/// </summary>
public sealed class ReportRenderingTests
{
    internal static ReportDocument T2Report()
    {
        var kpis = ReportTestData.Kpis();
        var (from, to) = ReportBuilder.TertialSpan(2026, TertialPoint.T2);
        return ReportTestData.Builder(kpis).BuildTertial(2026, TertialPoint.T2, InMemoryReportInputs.Standard(kpis).Load(from, to),
            new DateTimeOffset(2026, 9, 15, 6, 0, 0, TimeSpan.Zero), preliminary: false);
    }

    [Fact]
    public void XlsxWorkbook_OpenXmlValidator_FindsNoErrors()
    {
        var bytes = ReportExporter.ToBytes(T2Report(), ReportFormat.Xlsx);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);

        var errors = new OpenXmlValidator().Validate(doc, TestContext.Current.CancellationToken).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Take(10)));
    }

    [Fact]
    public async Task XlsxWorkbook_LibreOfficeHeadless_ConvertsToPdfAndRendersAPage()
    {
        var office = Requirements.Find("libreoffice") ?? Requirements.Find("soffice");
        Requirements.Require(office is not null, "libreoffice", "apt-get install -y libreoffice-calc-nogui");
        var pdftoppm = Requirements.Find("pdftoppm");
        Requirements.Require(pdftoppm is not null, "pdftoppm", "apt-get install -y poppler-utils");
        var ct = TestContext.Current.CancellationToken;
        var work = Path.Combine(Path.GetTempPath(), "driftvy-office-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var xlsx = Path.Combine(work, "tertial-2026-T2.xlsx");
            await File.WriteAllBytesAsync(xlsx, ReportExporter.ToBytes(T2Report(), ReportFormat.Xlsx), ct);

            // A profile of its own, so a LibreOffice already running for someone else is not reused.
            var profile = new Uri(Path.Combine(work, "profile")).AbsoluteUri;
            var (code, output) = await RunAsync(office!, ["-env:UserInstallation=" + profile, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", work, xlsx], ct);
            var pdf = Path.Combine(work, "tertial-2026-T2.pdf");
            Assert.True(code == 0 && File.Exists(pdf) && new FileInfo(pdf).Length > 1000, $"LibreOffice did not convert the workbook (exit {code}): {output}");
            File.Copy(pdf, ChromiumBrowser.ArtifactPath("report-tertial-2026-T2.pdf"), overwrite: true);

            var (pngCode, pngOutput) = await RunAsync(pdftoppm!, ["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", pdf, Path.Combine(work, "page")], ct);
            var png = Path.Combine(work, "page.png");
            Assert.True(pngCode == 0 && File.Exists(png), $"pdftoppm failed (exit {pngCode}): {pngOutput}");
            File.Copy(png, ChromiumBrowser.ArtifactPath("report-tertial-2026-T2-page1.png"), overwrite: true);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    internal static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false }.WithoutFakeTime();
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
