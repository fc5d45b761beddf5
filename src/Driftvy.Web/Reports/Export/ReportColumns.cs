using System.Globalization;

namespace Driftvy.Web.Reports.Export;

/// <summary>How a cell shows its number: the Excel format and the scale applied to the stored value.</summary>
internal enum NumberStyle
{
    Text,
    Percent,
    Integer,
    OneDecimal,
    GroupedInteger,
    GroupedOneDecimal,

    /// <summary>Whole seconds with their unit (ASA, AHT, wait percentiles): "42 s".</summary>
    Seconds,

    /// <summary>Days to one decimal with their unit (lead times): "3,5 dagar".</summary>
    Days,
}

/// <summary>A column of a report table: its Swedish caption and how a row fills it.</summary>
/// <remarks><see cref="Empty"/> says in words why a number cell is empty ("ingen mätning", "inget mål"), for the formats read by people.</remarks>
internal sealed record ReportColumn(string Key, string Caption, Func<ReportRow, object?> Value, Func<ReportRow, NumberStyle> Style)
{
    public Func<ReportRow, string?>? Empty { get; init; }
}

/// <summary>
/// The table layouts, shared by every format so the .xlsx, CSV and HTML say the same thing. The tertial
/// table follows the tertial report's own columns (Indikator | Periodens utfall | [Utfall män/pojkar |
/// Utfall kvinnor/flickor] | Utfall VB år-1 | Prognos helår | Årsmål | KF:s årsmål | Period), then
/// Driftvy's additions: the suggested verdict, the forecast method, status and what the figure was computed from.
/// </summary>
internal static class ReportColumns
{
    public static IReadOnlyList<ReportColumn> For(ReportDocument report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Kind == ReportKind.Tertial ? Tertial(report) : Monthly(report);
    }

    private static List<ReportColumn> Tertial(ReportDocument report)
    {
        var vb = report.Point == TertialPoint.VB;
        var columns = new List<ReportColumn>
        {
            Text("indicator", "Indikator", r => r.NameSv),
            Text("scope", "Team", r => r.ScopeSv),
            Number("outcome", "Periodens utfall", r => r.Value) with { Empty = NoMeasurement },
        };
        if (report.HasGenderColumns)
        {
            columns.Add(Number("men", "Utfall män/pojkar", r => r.Men) with { Empty = _ => NoSplit });
            columns.Add(Number("women", "Utfall kvinnor/flickor", r => r.Women) with { Empty = _ => NoSplit });
        }

        columns.Add(Number("previous_year", string.Create(CultureInfo.InvariantCulture, $"Utfall VB {report.Year - 1}"), r => r.PreviousYear) with { Empty = _ => NoValue });
        if (!vb)
        {
            columns.Add(Number("forecast", "Prognos helår", r => r.Forecast) with { Empty = r => r.Value is null ? NoValue : NoForecast });
        }

        columns.Add(Number("annual_target", "Årsmål", r => r.AnnualTarget) with { Empty = _ => NoTarget });
        columns.Add(Text("kf_target", "KF:s årsmål", r => r.KfTarget));
        columns.Add(Text("period", "Period", r => r.ReportPeriod));

        // Which span the row's outcome covers, and — where the outcome is the tertial alone — the year to date beside it,
        // so the reader need not guess which the documents meant.
        columns.Add(Text("computed_over", "Beräknat för", r => r.PeriodLabel));
        if (!vb)
        {
            columns.Add(Number("year_to_date", "Utfall hittills i år (ackumulerat)", r => r.YearToDate) with
            {
                Empty = r => r.YearToDateSameAsOutcome ? SameAsOutcome : NoValue,
            });
        }

        columns.Add(Text("judgement", vb ? "Bedömning (förslag, utfall mot årsmål)" : "Bedömning (förslag, prognos mot årsmål)", r => r.JudgementSuggestion));
        if (!vb)
        {
            columns.Add(Text("forecast_method", "Prognosmetod", r => r.ForecastMethodSv));
        }

        columns.Add(Text("status", "Status (periodens mål)", r => StatusSv(r.Status)));
        columns.AddRange(Basis());
        columns.Add(Text("kpi", "KPI (version)", r => string.Create(CultureInfo.InvariantCulture, $"{r.KpiId} v{r.Version}")));
        return columns;
    }

    private static List<ReportColumn> Monthly(ReportDocument report)
    {
        var columns = new List<ReportColumn>
        {
            Text("indicator", "Indikator", r => r.NameSv),
            Text("scope", "Team", r => r.ScopeSv),
            Number("month", "Månadens utfall", r => r.Value) with { Empty = NoMeasurement },
            Number("year_to_date", "Hittills i år", r => r.YearToDate) with { Empty = _ => NoValue },
            Number("previous_year", string.Create(CultureInfo.InvariantCulture, $"Samma månad {report.Year - 1}"), r => r.PreviousYear) with { Empty = _ => NoValue },
            Number("period_target", "Mål (månad)", r => r.PeriodTarget) with { Empty = _ => NoTarget },
            Number("annual_target", "Årsmål", r => r.AnnualTarget) with { Empty = _ => NoTarget },
            Text("status", "Status", r => StatusSv(r.Status)),
        };
        columns.AddRange(Basis());
        columns.Add(Text("kpi", "KPI (version)", r => string.Create(CultureInfo.InvariantCulture, $"{r.KpiId} v{r.Version}")));
        return columns;
    }

    // The volumes and FTE behind a per-FTE figure (and the counts behind a share), so a controller can check it.
    private static IEnumerable<ReportColumn> Basis() =>
    [
        new("numerator", "Underlag: täljare", r => r.Numerator, r => r.Unit == "seconds" ? NumberStyle.GroupedOneDecimal : NumberStyle.GroupedInteger),
        new("denominator", "Underlag: nämnare", r => r.Denominator, r => r.Unit == "count_per_fte" ? NumberStyle.GroupedOneDecimal : NumberStyle.GroupedInteger),
        Text("basis", "Underlagets enheter", BasisSv),
        Text("no_value_reason", "Anmärkning", r => r.Value is null ? r.NoValueReason : null),
    ];

    public static string? BasisSv(ReportRow r)
    {
        if (r.Numerator is null && r.Denominator is null)
        {
            return null;
        }

        return r.Unit switch
        {
            "count_per_fte" => "volym ÷ årsarbetare (FTE-månader, eller FTE-år för per-år-mått)",
            "percent" => "antal i täljaren ÷ antal i nämnaren",
            "seconds" => "summa sekunder ÷ antal",
            "days" => "antal avslutade ärenden (nämnare)",
            _ => "antal",
        };
    }

    // The words an empty number cell carries instead of a blank (the row's own remark column gives the details).
    public const string NoValue = "ingen mätning";
    public const string NoTarget = "inget mål";
    public const string NoForecast = "ingen prognosmetod";
    public const string NoSplit = "ingen könsuppdelning";
    public const string SameAsOutcome = "= periodens utfall";

    private static string NoMeasurement(ReportRow r) => NoValue;

    public static string StatusSv(string status) => status switch
    {
        "on-target" => "Når målet",
        "near-target" => "Inom tolerans",
        "off-target" => "Når inte målet",
        "no-target" => "Mål saknas",
        _ => "Inget utfall",
    };

    /// <summary>The display style of a KPI value in the row's unit.</summary>
    public static NumberStyle ValueStyle(ReportRow r) => r.Unit switch
    {
        "percent" => NumberStyle.Percent,
        "count" or "count_per_fte" => NumberStyle.GroupedInteger,
        "seconds" => NumberStyle.Seconds,
        "days" => NumberStyle.Days,
        _ => NumberStyle.OneDecimal,
    };

    private static ReportColumn Text(string key, string caption, Func<ReportRow, string?> value) =>
        new(key, caption, value, _ => NumberStyle.Text);

    private static ReportColumn Number(string key, string caption, Func<ReportRow, double?> value) =>
        new(key, caption, r => value(r), ValueStyle);
}
