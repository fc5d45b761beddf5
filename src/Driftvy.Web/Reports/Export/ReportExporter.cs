namespace Driftvy.Web.Reports.Export;

/// <summary>Writes a report document in one of the export formats.</summary>
public static class ReportExporter
{
    public static void Write(ReportDocument report, ReportFormat format, Stream output)
    {
        switch (format)
        {
            case ReportFormat.Xlsx:
                XlsxReportWriter.Write(report, output);
                break;
            case ReportFormat.Csv:
                CsvReportWriter.Write(report, output);
                break;
            case ReportFormat.Json:
                JsonReportWriter.Write(report, output);
                break;
            default:
                HtmlReportWriter.Write(report, output);
                break;
        }
    }

    public static byte[] ToBytes(ReportDocument report, ReportFormat format)
    {
        using var ms = new MemoryStream();
        Write(report, format, ms);
        return ms.ToArray();
    }
}
