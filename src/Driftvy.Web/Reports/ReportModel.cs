using System.Globalization;
using Driftvy.Domain.Calendar;

namespace Driftvy.Web.Reports;

/// <summary>Which report: the monthly productivity report or the tertial report (T1, T2, VB).</summary>
public enum ReportKind
{
    Monthly,
    Tertial,
}

/// <summary>The follow-up points of the tertial report: T1 (jan–apr), T2 (jan–aug) and VB, the annual report.</summary>
public enum TertialPoint
{
    T1 = 1,
    T2 = 2,
    VB = 3,
}

/// <summary>Export formats.</summary>
public enum ReportFormat
{
    Xlsx,
    Csv,
    Json,
    Html,
}

/// <summary>Parsing of the short forms used on the command line and in the HTTP API.</summary>
public static class ReportNames
{
    public static bool TryParsePoint(string? text, out TertialPoint point)
    {
        point = default;
        switch (text?.Trim().ToUpperInvariant())
        {
            case "T1":
                point = TertialPoint.T1;
                return true;
            case "T2":
                point = TertialPoint.T2;
                return true;
            case "VB" or "T3":
                point = TertialPoint.VB;
                return true;
            default:
                return false;
        }
    }

    public static bool TryParseFormat(string? text, out ReportFormat format)
    {
        format = ReportFormat.Xlsx;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "xlsx":
                return true;
            case "csv":
                format = ReportFormat.Csv;
                return true;
            case "json":
                format = ReportFormat.Json;
                return true;
            case "html":
                format = ReportFormat.Html;
                return true;
            default:
                return false;
        }
    }

    public static string ContentType(ReportFormat format) => format switch
    {
        ReportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ReportFormat.Csv => "text/csv; charset=utf-8",
        ReportFormat.Json => "application/json; charset=utf-8",
        _ => "text/html; charset=utf-8",
    };

    public static string Extension(ReportFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>A file name such as <c>driftvy-tertial-2026-T2.xlsx</c> or <c>driftvy-manad-2026-10.xlsx</c>.</summary>
    public static string FileName(ReportDocument report, ReportFormat format)
    {
        ArgumentNullException.ThrowIfNull(report);
        var stem = report.Kind == ReportKind.Tertial
            ? string.Create(CultureInfo.InvariantCulture, $"driftvy-tertial-{report.Year}-{report.Point}")
            : string.Create(CultureInfo.InvariantCulture, $"driftvy-manad-{report.Year}-{report.Month:00}");
        return stem + "." + Extension(format);
    }
}

/// <summary>
/// A whole report as plain data: everything the exporters write comes from here, so a frozen report
/// (this document stored as JSON) exports to the same bytes later. Percentages are 0–100, unrounded.
/// </summary>
public sealed record ReportDocument
{
    public required ReportKind Kind { get; init; }

    public required int Year { get; init; }

    /// <summary>Tertial reports: T1, T2 or VB.</summary>
    public TertialPoint? Point { get; init; }

    /// <summary>Monthly reports: the month (1–12).</summary>
    public int? Month { get; init; }

    /// <summary>Swedish title, e.g. "Tertialrapport 2 2026".</summary>
    public required string Title { get; init; }

    /// <summary>The period the main column covers, e.g. "jan–aug 2026".</summary>
    public required string PeriodText { get; init; }

    /// <summary>When the figures were computed (the frozen run time for a frozen report): the package timestamps.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>True when the period has not ended yet: the report is not frozen and figures will change.</summary>
    public required bool Preliminary { get; init; }

    /// <summary>
    /// Tertial reports: who fixed (fastställde) this report and when; null while it is not fixed, when every download is
    /// computed from the current data and marked as preliminary.
    /// </summary>
    public ReportFixing? Fixed { get; init; }

    /// <summary>
    /// The line under the title: the period, when the figures were computed (Stockholm time) and how final they are.
    /// </summary>
    public string StatusLine()
    {
        var computed = StockholmTime.LocalDateTime(GeneratedAt);
        var status = (Kind, Fixed, Preliminary) switch
        {
            (_, { } f, _) => string.Create(CultureInfo.InvariantCulture,
                $"Fastställd {StockholmTime.LocalDateTime(f.At):yyyy-MM-dd HH:mm} av {f.By}{(f.AcceptedGaps.Count > 0 ? $", med {f.AcceptedGaps.Count} rader utan underlag" : string.Empty)}."),
            (_, null, true) => "PRELIMINÄR: perioden är inte avslutad.",
            (ReportKind.Tertial, null, false) => "PRELIMINÄR: inte fastställd – siffrorna kan ändras tills rapporten fastställs.",
            _ => string.Empty,
        };
        return string.Create(CultureInfo.InvariantCulture, $"{SpanText()} Beräknad {computed:yyyy-MM-dd HH:mm} (svensk tid). {status}").TrimEnd();
    }

    /// <summary>
    /// The spans the rows cover. A tertial report mixes accumulated rows (jan–aug) with rows of the tertial alone (maj–aug)
    /// and yearly ones: then the header names each span and points to the row's own column instead of claiming one period.
    /// </summary>
    public string SpanText()
    {
        var spans = Divisions.SelectMany(d => d.Rows).Select(r => r.PeriodLabel).Distinct(StringComparer.Ordinal).ToList();
        return spans.Count <= 1
            ? $"Period: {PeriodText}."
            : $"Perioder: {string.Join("; ", spans)}. Varje rad anger sin period i kolumnen \"Beräknat för\".";
    }

    /// <summary>Whether any row carries a men/women split (then the tertial table keeps those columns).</summary>
    public bool HasGenderColumns => Divisions.Any(d => d.Rows.Any(r => r.Men is not null || r.Women is not null));

    public required IReadOnlyList<ReportDivision> Divisions { get; init; }

    /// <summary>Every KPI version used, with its formula: the definitions sheet.</summary>
    public required IReadOnlyList<ReportDefinition> Definitions { get; init; }

    /// <summary>SHA-256 of each input part (contacts, volumes, staffing, cases, entered values) the figures came from.</summary>
    public required IReadOnlyDictionary<string, string> InputChecksums { get; init; }
}

/// <summary>
/// A deliberate, audited fixing of a tertial report: by whom, when, and the rows the person accepted without a value
/// (their "division / KPI / scope: reason").
/// </summary>
public sealed record ReportFixing(DateTimeOffset At, string By, IReadOnlyList<string> AcceptedGaps);

/// <summary>One division (verksamhetsområde): one sheet of the workbook.</summary>
public sealed record ReportDivision(string Id, string NameSv, IReadOnlyList<ReportRow> Rows);

/// <summary>One KPI for one team (or the division) in a report.</summary>
public sealed record ReportRow
{
    public required string KpiId { get; init; }

    public required int Version { get; init; }

    public required string NameSv { get; init; }

    /// <summary>Team (or queue group) the row covers, in Swedish; the division itself when empty.</summary>
    public required string ScopeSv { get; init; }

    /// <summary>Team or queue ids the row covers.</summary>
    public required IReadOnlyList<string> Scope { get; init; }

    /// <summary><c>percent</c>, <c>count</c>, <c>count_per_fte</c>, <c>seconds</c>, <c>days</c>, <c>index</c>, <c>score</c>.</summary>
    public required string Unit { get; init; }

    public required string Direction { get; init; }

    /// <summary>Which span the main value covers and whether it is accumulated, e.g. "T2 2026 (jan–aug, ackumulerat)".</summary>
    public required string PeriodLabel { get; init; }

    /// <summary>Periodens utfall (tertial) or the month's value (monthly).</summary>
    public double? Value { get; init; }

    public string? NoValueReason { get; init; }

    /// <summary>What the value was computed from (volume, invoices …) and over what (FTE-months, answered contacts …).</summary>
    public double? Numerator { get; init; }

    public double? Denominator { get; init; }

    /// <summary>Monthly: year to date through the month. Tertial: year to date at the point, where the outcome covers the tertial alone.</summary>
    public double? YearToDate { get; init; }

    /// <summary>Tertial: the outcome already is the year to date (accumulated or yearly rows), so no second figure is given.</summary>
    public bool YearToDateSameAsOutcome { get; init; }

    /// <summary>Monthly: the same month last year. Tertial: Utfall VB (the previous full year).</summary>
    public double? PreviousYear { get; init; }

    public double? Men { get; init; }

    public double? Women { get; init; }

    public double? Forecast { get; init; }

    public string? ForecastMethodSv { get; init; }

    public string? ForecastMethodEn { get; init; }

    /// <summary>The annual target (årsmål), as the plan states it.</summary>
    public double? AnnualTarget { get; init; }

    /// <summary>The year the target was set, when it is carried forward from an earlier plan.</summary>
    public int? TargetYear { get; init; }

    /// <summary>The target for the row's period (derived from the annual one).</summary>
    public double? PeriodTarget { get; init; }

    /// <summary>KF:s årsmål: a figure or the plan's text (e.g. "Tas fram av nämnd").</summary>
    public string? KfTarget { get; init; }

    /// <summary>The table's "Period" column: "Tertial 2 2026", "2026" or "Verksamhetsberättelse 2026".</summary>
    public required string ReportPeriod { get; init; }

    /// <summary><c>on-target</c>, <c>near-target</c>, <c>off-target</c>, <c>no-data</c> or <c>no-target</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Suggested verdict (Uppfylls helt / delvis / inte), for a person to confirm.</summary>
    public string? JudgementSuggestion { get; init; }

    /// <summary>Monthly values from January (trend chart); null where there is nothing to measure.</summary>
    public required IReadOnlyList<double?> Trend { get; init; }

    /// <summary>The same months of the previous year (the chart's comparison line); null in documents frozen before it existed.</summary>
    public IReadOnlyList<double?>? PreviousYearTrend { get; init; }

    /// <summary>The monthly target for the trend chart, when there is one.</summary>
    public double? TrendTarget { get; init; }

    public required string Provenance { get; init; }
}

/// <summary>A KPI version as the definitions sheet lists it.</summary>
public sealed record ReportDefinition(
    string KpiId, int Version, DateOnly EffectiveFrom, string NameSv, string Unit, string FormulaSv, string FormulaEn, string? BasisNote, string? Source);
