using System.Globalization;
using System.Text;
using System.Xml;

namespace Driftvy.Web.Reports.Export;

/// <summary>
/// A print-ready HTML page: per division the report table (Swedish number formatting, rounded for
/// reading) and, per KPI, the same chart picture the workbook carries (<see cref="ReportCharts"/>), embedded
/// as a PNG data URI. Self-contained: no scripts, no external files.
/// </summary>
internal static class HtmlReportWriter
{
    private static readonly CultureInfo Sv = CultureInfo.GetCultureInfo("sv-SE");
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const double ChartWidth = 480;

    private const string Css = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; margin: 1.5cm; color: #111; }
        h1 { font-size: 16pt; margin: 0 0 .2em; } h2 { font-size: 13pt; margin: 1.2em 0 .4em; page-break-after: avoid; }
        p.meta { color: #444; margin: 0 0 1em; }
        table { border-collapse: collapse; width: 100%; margin-bottom: 1em; }
        th, td { border: 1px solid #bbb; padding: 2px 4px; vertical-align: top; }
        th { background: #eee; text-align: left; } td.num { text-align: right; white-space: nowrap; }
        .charts { display: flex; flex-wrap: wrap; gap: 8px; }
        figure { margin: 0; width: 480px; page-break-inside: avoid; } figcaption { font-size: 8pt; }
        @page { size: A4 landscape; margin: 1cm; }
        @media print { body { margin: 0; } section { page-break-before: always; } section:first-of-type { page-break-before: auto; } }
        """;

    public static void Write(ReportDocument report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        var columns = ReportColumns.For(report);
        var charts = ReportCharts.For(report).ToList();
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Encoding = new UTF8Encoding(false), Indent = false };
        output.Write("<!DOCTYPE html>\n"u8);
        using var w = XmlWriter.Create(output, settings);
        w.WriteStartElement("html", "http://www.w3.org/1999/xhtml");
        w.WriteAttributeString("lang", "sv");
        w.WriteStartElement("head");
        w.WriteStartElement("meta");
        w.WriteAttributeString("charset", "utf-8");
        w.WriteEndElement();
        w.WriteStartElement("link");
        w.WriteAttributeString("rel", "icon");
        w.WriteAttributeString("href", "data:,");
        w.WriteEndElement();
        w.WriteElementString("title", report.Title);
        w.WriteElementString("style", Css);
        w.WriteEndElement();
        w.WriteStartElement("body");
        w.WriteElementString("h1", report.Title);
        w.WriteStartElement("p");
        w.WriteAttributeString("class", "meta");
        w.WriteString(report.StatusLine());

        if (report.Kind == ReportKind.Tertial)
        {
            w.WriteString(" Bedömningen är ett förslag; den bekräftas av den som skriver rapporten.");
        }

        w.WriteEndElement();
        foreach (var division in report.Divisions)
        {
            w.WriteStartElement("section");
            w.WriteElementString("h2", division.NameSv);
            Table(w, division, columns);
            w.WriteStartElement("div");
            w.WriteAttributeString("class", "charts");
            foreach (var chart in charts.Where(c => ReferenceEquals(c.Division, division)))
            {
                Chart(w, chart);
            }

            w.WriteFullEndElement();
            w.WriteFullEndElement();
        }

        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Table(XmlWriter w, ReportDivision division, IReadOnlyList<ReportColumn> columns)
    {
        // The basis columns and the KPI id stay in the workbook and CSV; the printed page keeps the report's own columns.
        var shown = columns.Where(c => c.Key is not ("numerator" or "denominator" or "basis" or "no_value_reason" or "forecast_method")).ToList();
        w.WriteStartElement("table");
        w.WriteStartElement("thead");
        w.WriteStartElement("tr");
        foreach (var c in shown)
        {
            w.WriteElementString("th", c.Caption);
        }

        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("tbody");
        foreach (var r in division.Rows)
        {
            w.WriteStartElement("tr");
            foreach (var c in shown)
            {
                w.WriteStartElement("td");
                var value = c.Value(r);
                if (value is double d)
                {
                    w.WriteAttributeString("class", "num");
                    w.WriteString(Display(d, c.Style(r)));
                }
                else
                {
                    w.WriteString(Convert.ToString(value, Inv) ?? c.Empty?.Invoke(r) ?? string.Empty);
                }

                w.WriteFullEndElement();
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndElement();
    }

    /// <summary>A number as the page shows it, Swedish style (1 234,5; 85,3 %).</summary>
    internal static string Display(double value, NumberStyle style) => style switch
    {
        NumberStyle.Percent => value.ToString("0.0", Sv) + " %",
        NumberStyle.Integer => value.ToString("0", Sv),
        NumberStyle.GroupedInteger => value.ToString("#,##0", Sv),
        NumberStyle.GroupedOneDecimal => value.ToString("#,##0.0", Sv),
        NumberStyle.Seconds => value.ToString("0", Sv) + " s",
        NumberStyle.Days => value.ToString("0.0", Sv) + " dagar",
        _ => value.ToString("0.0", Sv),
    };

    private static void Chart(XmlWriter w, ReportChart chart)
    {
        w.WriteStartElement("figure");
        w.WriteStartElement("img");
        w.WriteAttributeString("src", "data:image/png;base64," + Convert.ToBase64String(chart.Picture.Png));
        w.WriteAttributeString("width", N(ChartWidth));
        w.WriteAttributeString("height", N(ChartWidth * chart.Picture.Height / chart.Picture.Width));
        w.WriteAttributeString("alt", chart.Picture.Title + " per månad");
        w.WriteEndElement();
        w.WriteElementString("figcaption", $"{chart.Row.NameSv} – {chart.Row.ScopeSv} ({chart.Row.PeriodLabel})");
        w.WriteEndElement();
    }

    private static string N(double v) => Math.Round(v, 1).ToString("0.#", Inv);
}
