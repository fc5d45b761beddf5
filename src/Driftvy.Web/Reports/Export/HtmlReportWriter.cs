using System.Globalization;
using System.Text;
using System.Xml;

namespace Driftvy.Web.Reports.Export;

/// <summary>
/// A print-ready HTML page: per division the report table (Swedish number formatting, rounded for
/// reading) and, per KPI, a small SVG chart of the monthly values against the target, written with
/// <see cref="XmlWriter"/> (no chart library is available server-side). Self-contained: no scripts,
/// no external files.
/// </summary>
internal static class HtmlReportWriter
{
    private static readonly CultureInfo Sv = CultureInfo.GetCultureInfo("sv-SE");
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] MonthLetters = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

    private const string Css = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; margin: 1.5cm; color: #111; }
        h1 { font-size: 16pt; margin: 0 0 .2em; } h2 { font-size: 13pt; margin: 1.2em 0 .4em; page-break-after: avoid; }
        p.meta { color: #444; margin: 0 0 1em; }
        table { border-collapse: collapse; width: 100%; margin-bottom: 1em; }
        th, td { border: 1px solid #bbb; padding: 2px 4px; vertical-align: top; }
        th { background: #eee; text-align: left; } td.num { text-align: right; white-space: nowrap; }
        .charts { display: flex; flex-wrap: wrap; gap: 8px; }
        figure { margin: 0; width: 320px; page-break-inside: avoid; } figcaption { font-size: 8pt; }
        @page { size: A4 landscape; margin: 1cm; }
        @media print { body { margin: 0; } section { page-break-before: always; } section:first-of-type { page-break-before: auto; } }
        """;

    public static void Write(ReportDocument report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        var columns = ReportColumns.For(report);
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
            foreach (var row in division.Rows.Where(r => r.Trend.Any(v => v is not null)))
            {
                Chart(w, row);
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
                    w.WriteString(Convert.ToString(value, Inv) ?? string.Empty);
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

    private static void Chart(XmlWriter w, ReportRow row)
    {
        const double width = 320, height = 130, left = 44, right = 8, top = 10, bottom = 22;
        const string svg = "http://www.w3.org/2000/svg";
        var values = row.Trend.ToList();
        var target = row.TrendTarget;
        var all = values.OfType<double>().Concat(target is { } tv ? [tv] : []).ToList();
        var min = Math.Min(0, all.Min());
        var max = all.Max();
        if (max <= min)
        {
            max = min + 1;
        }

        max += (max - min) * 0.1;
        var style = ReportColumns.ValueStyle(row);
        if (style == NumberStyle.Percent && all.Max() <= 100)
        {
            // A share never exceeds 100 %: the headroom stops there, so the axis never reads "102,3 %".
            max = Math.Min(max, 100);
        }

        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var slots = Math.Max(values.Count, 1);
        double X(int i) => left + (plotW * (i + 0.5) / slots);
        double Y(double v) => top + (plotH * (1 - ((v - min) / (max - min))));

        w.WriteStartElement("figure");
        w.WriteStartElement("svg", svg);
        w.WriteAttributeString("width", N(width));
        w.WriteAttributeString("height", N(height));
        w.WriteAttributeString("viewBox", string.Create(Inv, $"0 0 {N(width)} {N(height)}"));
        w.WriteAttributeString("role", "img");
        w.WriteElementString("title", svg, $"{row.NameSv} ({row.ScopeSv}) per månad");
        Line(w, left, top, left, top + plotH, "#888", null);
        Line(w, left, top + plotH, left + plotW, top + plotH, "#888", null);
        Text(w, left - 4, Y(max) + 4, Display(max, style), "end");
        Text(w, left - 4, Y(min) + 4, Display(min, style), "end");
        for (var i = 0; i < values.Count; i++)
        {
            Text(w, X(i), height - 6, MonthLetters[i], "middle");
        }

        if (target is { } tg)
        {
            Line(w, left, Y(tg), left + plotW, Y(tg), "#c0392b", "4 3");
            Text(w, left + plotW, Y(tg) - 3, "mål " + Display(tg, style), "end");
        }

        // Gaps (months with nothing to measure) break the line rather than dropping to zero.
        var segment = new List<string>();
        void Flush()
        {
            if (segment.Count > 1)
            {
                w.WriteStartElement("polyline", svg);
                w.WriteAttributeString("points", string.Join(' ', segment));
                w.WriteAttributeString("fill", "none");
                w.WriteAttributeString("stroke", "#1f5fa8");
                w.WriteAttributeString("stroke-width", "2");
                w.WriteEndElement();
            }

            segment.Clear();
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { } v)
            {
                segment.Add(string.Create(Inv, $"{N(X(i))},{N(Y(v))}"));
            }
            else
            {
                Flush();
            }
        }

        Flush();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { } v)
            {
                w.WriteStartElement("circle", svg);
                w.WriteAttributeString("cx", N(X(i)));
                w.WriteAttributeString("cy", N(Y(v)));
                w.WriteAttributeString("r", "2.5");
                w.WriteAttributeString("fill", "#1f5fa8");
                w.WriteEndElement();
            }
        }

        w.WriteEndElement();
        w.WriteElementString("figcaption", $"{row.NameSv} – {row.ScopeSv}");
        w.WriteEndElement();
    }

    private static void Line(XmlWriter w, double x1, double y1, double x2, double y2, string stroke, string? dash)
    {
        w.WriteStartElement("line", "http://www.w3.org/2000/svg");
        w.WriteAttributeString("x1", N(x1));
        w.WriteAttributeString("y1", N(y1));
        w.WriteAttributeString("x2", N(x2));
        w.WriteAttributeString("y2", N(y2));
        w.WriteAttributeString("stroke", stroke);
        if (dash is not null)
        {
            w.WriteAttributeString("stroke-dasharray", dash);
        }

        w.WriteEndElement();
    }

    private static void Text(XmlWriter w, double x, double y, string text, string anchor)
    {
        w.WriteStartElement("text", "http://www.w3.org/2000/svg");
        w.WriteAttributeString("x", N(x));
        w.WriteAttributeString("y", N(y));
        w.WriteAttributeString("font-size", "9");
        w.WriteAttributeString("text-anchor", anchor);
        w.WriteString(text);
        w.WriteEndElement();
    }

    private static string N(double v) => Math.Round(v, 1).ToString("0.#", Inv);
}
