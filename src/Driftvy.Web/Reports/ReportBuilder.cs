using System.Globalization;
using System.Text.Json;
using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Forecasts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Domain.Targets;
using Driftvy.Web.Kpis;

namespace Driftvy.Web.Reports;

/// <summary>
/// Turns a report's inputs into a <see cref="ReportDocument"/>: every KPI in force, per division and
/// team, computed by the KPI engine with the version in force, with targets, status, full-year forecast
/// and the judgement suggestion. Pure: the same inputs and time give the same document.
/// </summary>
public sealed class ReportBuilder(KpiSetup kpis, KfTargets kfTargets)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly Dictionary<string, string> AreaNames = new(StringComparer.Ordinal)
    {
        ["kontaktcenter"] = "Kontaktcenter",
        ["aldre_direkt"] = "Äldre direkt",
        ["ekonomi"] = "Ekonomi",
        ["ekonomi_kundreskontra"] = "Kundreskontra",
        ["ekonomi_leverantorsreskontra"] = "Leverantörsreskontra",
        ["ekonomi_avgifter"] = "Förskoleavgifter",
        ["ekonomi_kassabank"] = "KassaBank",
        ["lon_pension"] = "Lön och pension",
        ["forvaltning"] = "Förvaltningen",
    };

    /// <summary>The days a tertial report reads: from 1 January of the previous year (Utfall VB) to the end of the point.</summary>
    public static (DateOnly From, DateOnly ToExclusive) TertialSpan(int year, TertialPoint point) =>
        (new DateOnly(year - 1, 1, 1), new DateOnly(year, 1, 1).AddMonths((int)point * 4));

    /// <summary>The days a monthly report reads: from 1 January of the previous year to the end of the month.</summary>
    public static (DateOnly From, DateOnly ToExclusive) MonthlySpan(int year, int month) =>
        (new DateOnly(year - 1, 1, 1), new DateOnly(year, month, 1).AddMonths(1));

    public ReportDocument BuildTertial(int year, TertialPoint point, ReportData data, DateTimeOffset generatedAt, bool preliminary)
    {
        ArgumentNullException.ThrowIfNull(data);
        var t = (int)point;
        var ytd = Period.YearToDateAtTertial(year, t);
        var title = point == TertialPoint.VB
            ? string.Create(Inv, $"Verksamhetsberättelse {year}")
            : string.Create(Inv, $"Tertialrapport {t} {year}");
        var rows = Rows(Period.FullYear(year).Start).Select(r => (r.Division, Row: TertialRow(r, year, point, ytd, data)));
        return Document(ReportKind.Tertial, year, point, null, title, PeriodText(ytd), generatedAt, preliminary, rows, data, Period.FullYear(year).Start);
    }

    public ReportDocument BuildMonthly(int year, int month, ReportData data, DateTimeOffset generatedAt, bool preliminary)
    {
        ArgumentNullException.ThrowIfNull(data);
        var period = Period.Month(year, month);
        var rows = Rows(period.Start).Select(r => (r.Division, Row: MonthlyRow(r, period, data)));
        return Document(ReportKind.Monthly, year, null, month, string.Create(Inv, $"Produktivitet {period.Label}"),
            period.Label, generatedAt, preliminary, rows, data, period.Start);
    }

    private ReportDocument Document(
        ReportKind kind, int year, TertialPoint? point, int? month, string title, string periodText, DateTimeOffset generatedAt,
        bool preliminary, IEnumerable<(string Division, ReportRow Row)> rows, ReportData data, DateOnly versionsOn)
    {
        var order = kpis.Organisation.Teams.Select(x => x.Area).Append("forvaltning").Distinct().ToList();
        var divisions = rows.GroupBy(r => r.Division)
            .OrderBy(g => order.IndexOf(g.Key) is var i && i < 0 ? int.MaxValue : i).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ReportDivision(g.Key, AreaName(g.Key), [.. g.Select(x => x.Row)]))
            .ToList();
        var definitions = kpis.Catalog.Kpis.Select(k => k.VersionOn(versionsOn)).OfType<KpiVersion>()
            .Select(v => new ReportDefinition(v.KpiId, v.Version, v.EffectiveFrom, v.NameSv, Snake(v.Unit), v.FormulaSv, v.FormulaEn, v.BasisNote, v.Source))
            .ToList();
        return new ReportDocument
        {
            Kind = kind,
            Year = year,
            Point = point,
            Month = month,
            Title = title,
            PeriodText = periodText,
            GeneratedAt = generatedAt,
            Preliminary = preliminary,
            Divisions = divisions,
            Definitions = definitions,
            InputChecksums = ReportChecksums.Compute(data),
        };
    }

    /// <summary>What one row covers: a KPI version and the queues or teams of one division (or one team).</summary>
    private sealed record RowScope(KpiVersion Version, string Division, string ScopeSv, IReadOnlyList<string> Members, KpiScope? Scope);

    private IEnumerable<RowScope> Rows(DateOnly versionsOn)
    {
        foreach (var definition in kpis.Catalog.Kpis)
        {
            var v = definition.VersionOn(versionsOn);
            if (v is null)
            {
                continue;
            }

            if (v.Population.Queues.Count > 0 && v.Kind is not FormulaKind.Entered)
            {
                // One row per division: the queues a division's teams answer.
                foreach (var g in v.Population.Queues.GroupBy(QueueDivision))
                {
                    var queues = g.ToList();
                    var names = string.Join(", ", queues.Select(q => kpis.Organisation.Queue(q)?.NameSv ?? q));
                    yield return new RowScope(v, g.Key, names, queues, new KpiScope(Queues: queues));
                }
            }
            else if (v.Population.Teams.Count > 0 && v.Kind is not FormulaKind.Entered)
            {
                foreach (var team in v.Population.Teams)
                {
                    var def = kpis.Organisation.Team(team);
                    yield return new RowScope(v, def?.Area ?? "forvaltning", def?.NameSv ?? team, [team], new KpiScope(Teams: [team]));
                }
            }
            else
            {
                var area = v.Population.Area ?? "forvaltning";
                yield return new RowScope(v, AreaDivision(area), AreaName(area), [area], null);
            }
        }
    }

    private string QueueDivision(string queue) =>
        kpis.Organisation.Queue(queue)?.Team is { } team && kpis.Organisation.Team(team) is { } def ? def.Area : "forvaltning";

    private string AreaDivision(string area)
    {
        var divisions = kpis.Organisation.Teams.Select(t => t.Area).Distinct().ToList();
        if (divisions.Contains(area))
        {
            return area;
        }

        if (area == "aldre_direkt")
        {
            return "kontaktcenter";
        }

        return divisions.FirstOrDefault(d => area.StartsWith(d + "_", StringComparison.Ordinal)) ?? "forvaltning";
    }

    private static string AreaName(string area) => AreaNames.GetValueOrDefault(area, area);

    private ReportRow TertialRow(RowScope r, int year, TertialPoint point, Period ytd, ReportData data)
    {
        var v = r.Version;
        var t = (int)point;
        var target = kpis.Targets.Find(v.KpiId, year);
        var yearly = target?.Periodicity == TargetPeriodicity.Year;
        var main = point == TertialPoint.VB || (v.Kind == FormulaKind.Entered && yearly)
            ? (v.DefaultAccumulation == Accumulation.Cumulative && v.Kind != FormulaKind.Entered ? Period.YearToDateAtTertial(year, 3) : Period.FullYear(year))
            : v.DefaultAccumulation == Accumulation.Cumulative ? ytd : Period.Tertial(year, t);
        var value = Evaluate(v, main, data, r.Scope);
        var previous = Evaluate(v.KpiId, Period.FullYear(year - 1), data, r.Scope);
        var split = data.BackOffice.GenderSplits.LastOrDefault(g => g.KpiId == v.KpiId && g.PeriodId == main.Id);

        double? periodTarget = null;
        var status = value.HasValue ? "no-target" : "no-data";
        Forecast? forecast = null;
        string? judgement = null;
        if (target is not null)
        {
            var derived = TargetEvaluation.Derive(target, v, main);
            periodTarget = derived.Value;
            status = StatusCode(TargetEvaluation.Evaluate(value, derived, v.Direction).Status);
        }

        if (point != TertialPoint.VB)
        {
            forecast = ForecastFullYear(v, ytd, data, r);
            if (target is not null && forecast?.Value is { } f)
            {
                var annual = TargetEvaluation.Derive(target, v, Period.FullYear(year));
                judgement = Judge(TargetEvaluation.Evaluate(f, annual, v.Direction).Status);
            }
        }
        else if (target is not null && value.Value is { } outcome)
        {
            judgement = Judge(TargetEvaluation.Evaluate(outcome, TargetEvaluation.Derive(target, v, Period.FullYear(year)), v.Direction).Status);
        }

        var reportPeriod = point == TertialPoint.VB
            ? (yearly ? year.ToString(Inv) : string.Create(Inv, $"Verksamhetsberättelse {year}"))
            : (yearly ? year.ToString(Inv) : string.Create(Inv, $"Tertial {t} {year}"));
        var trendMonths = (int)point * 4;
        var ytdSame = point == TertialPoint.VB || main.Id == ytd.Id || main.Id == Period.FullYear(year).Id;
        return Row(r, main, value, reportPeriod, status, Trend(v, year, trendMonths, data, r.Scope)) with
        {
            YearToDate = ytdSame ? null : Evaluate(v, ytd, data, r.Scope).Value,
            YearToDateSameAsOutcome = ytdSame,
            PreviousYear = previous.Value,
            PreviousYearTrend = Trend(v, year - 1, 12, data, r.Scope),
            Men = split?.Men,
            Women = split?.Women,
            Forecast = forecast?.Value,
            ForecastMethodSv = forecast?.Value is null ? null : forecast.MethodSv,
            ForecastMethodEn = forecast?.Value is null ? null : forecast.MethodEn,
            AnnualTarget = target?.Value,
            TargetYear = target?.Year,
            PeriodTarget = periodTarget,
            KfTarget = kfTargets.Find(v.KpiId, year),
            JudgementSuggestion = judgement,
            TrendTarget = target is null ? null : TargetEvaluation.Derive(target, v, Period.Month(year, 1)).Value,
        };
    }

    private ReportRow MonthlyRow(RowScope r, Period month, ReportData data)
    {
        var v = r.Version;
        var year = month.Year;
        var value = Evaluate(v, month, data, r.Scope);
        var ytd = Evaluate(v, Period.YearToDate(month.LastDay), data, r.Scope);
        var previous = Evaluate(v.KpiId, month.PreviousYear(), data, r.Scope);
        var target = kpis.Targets.Find(v.KpiId, year);
        double? periodTarget = null;
        var status = value.HasValue ? "no-target" : "no-data";
        if (target is not null)
        {
            var derived = TargetEvaluation.Derive(target, v, month);
            periodTarget = derived.Value;
            status = StatusCode(TargetEvaluation.Evaluate(value, derived, v.Direction).Status);
        }

        return Row(r, month, value, month.Label, status, Trend(v, year, month.Number, data, r.Scope)) with
        {
            YearToDate = ytd.Value,
            PreviousYear = previous.Value,
            PreviousYearTrend = Trend(v, year - 1, 12, data, r.Scope),
            AnnualTarget = target?.Value,
            TargetYear = target?.Year,
            PeriodTarget = periodTarget,
            KfTarget = kfTargets.Find(v.KpiId, year),
            TrendTarget = periodTarget,
        };
    }

    /// <summary>What every row carries, whichever report it is in: the KPI, its scope and the value with its provenance.</summary>
    private static ReportRow Row(RowScope r, Period period, KpiValue value, string reportPeriod, string status, IReadOnlyList<double?> trend) => new()
    {
        KpiId = r.Version.KpiId,
        Version = r.Version.Version,
        NameSv = r.Version.NameSv,
        ScopeSv = r.ScopeSv,
        Scope = r.Members,
        Unit = Snake(r.Version.Unit),
        Direction = Snake(r.Version.Direction),
        PeriodLabel = period.Label,
        Value = value.Value,
        NoValueReason = value.NoValueReason,
        Numerator = value.Numerator,
        Denominator = value.Denominator,
        ReportPeriod = reportPeriod,
        Status = status,
        Trend = trend,
        Provenance = value.Provenance,
    };

    private List<double?> Trend(KpiVersion v, int year, int months, ReportData data, KpiScope? scope) =>
        [.. Enumerable.Range(1, months).Select(m => Evaluate(v, Period.Month(year, m), data, scope).Value)];

    private KpiValue Evaluate(KpiVersion v, Period period, ReportData data, KpiScope? scope) =>
        Explain(Guard(v.KpiId, v.Version, v.Unit, period, () => kpis.Engine.Evaluate(v, period, data.InputsFor(period), scope)), period, data);

    private KpiValue Evaluate(string kpiId, Period period, ReportData data, KpiScope? scope)
    {
        var v = kpis.Catalog.Get(kpiId).VersionOn(period.Start);
        return Explain(Guard(kpiId, v?.Version ?? 0, v?.Unit ?? KpiUnit.Count, period, () => kpis.Engine.Evaluate(kpiId, period, data.InputsFor(period), scope)), period, data);
    }

    // A period that ends before the stored contact history begins has no contacts because none were stored, not because
    // nobody called: the row says so, with the day the history starts.
    private static KpiValue Explain(KpiValue value, Period period, ReportData data)
    {
        if (value.NoValueCause != NoValueCause.NoContacts || data.Coverage is not { } coverage)
        {
            return value;
        }

        return coverage.FirstDay switch
        {
            null => value with { NoValueReason = "no contact data stored yet" },
            { } first when first >= period.End => value with
            {
                NoValueReason = string.Create(Inv, $"contact data from {first:yyyy-MM-dd}: none stored for {period.Label}"),
            },
            _ => value,
        };
    }

    // A month without staffing is an input error for the source to fix; the report shows it on the row
    // (with the engine's message naming team and month) instead of failing the whole report.
    private static KpiValue Guard(string kpiId, int version, KpiUnit unit, Period period, Func<KpiValue> evaluate)
    {
        try
        {
            return evaluate();
        }
        catch (MissingStaffingException e)
        {
            return new KpiValue
            {
                KpiId = kpiId,
                Version = version,
                Period = period,
                Value = null,
                NoValueReason = e.Message,
                Unit = unit,
                FormulaEn = string.Empty,
                FormulaSv = string.Empty,
                Scope = [e.Team],
            };
        }
    }

    /// <summary>Prognos helår from the year to date at the tertial; null for formulas without a forecast method.</summary>
    private Forecast? ForecastFullYear(KpiVersion v, Period ytd, ReportData data, RowScope r)
    {
        var asOf = ytd.LastDay;
        var year = ytd.Year;
        if (v.Kind == FormulaKind.Entered)
        {
            var id = string.Create(Inv, $"{ytd.Id}-forecast");
            var entered = data.BackOffice.Entered.LastOrDefault(e => e.KpiId == v.KpiId && (e.PeriodId == id || e.PeriodId == string.Create(Inv, $"{year}-T{ytd.Number}-forecast")));
            return entered is null ? null : new Forecast(entered.Value, null, $"entered forecast ({entered.Source})", $"inmatad prognos ({entered.Source})", null, null);
        }

        var value = Evaluate(v, ytd, data, r.Scope);
        if (!value.HasValue)
        {
            return null;
        }

        var forecaster = new Forecaster(kpis.Calendar);
        switch (v.Kind)
        {
            case FormulaKind.Volume:
                return forecaster.Volume(value.Value!.Value, asOf, PreviousYearVolumes(data, r.Members, v.Parameters.VolumeKind!, year));
            case FormulaKind.VolumePerFte:
            {
                // The FTE of the months left is expected at the year-to-date average per month.
                var months = ytd.Months().Count;
                var rest = value.Denominator!.Value * (12 - months) / months;
                return Forecaster.Ratio(value, rest);
            }

            case FormulaKind.ServiceLevel or FormulaKind.AnswerRate or FormulaKind.AbandonmentRate or FormulaKind.FirstContactResolution:
            {
                var full = forecaster.Volume(value.Denominator!.Value, asOf, data.DailyOffered(r.Members, year - 1));
                return full.Value is { } f ? WithDenominatorMethod(Forecaster.Ratio(value, f - value.Denominator!.Value), full) : null;
            }

            case FormulaKind.VolumeRatio or FormulaKind.WithinPromisedShare:
            {
                var prev = v.Kind == FormulaKind.VolumeRatio ? PreviousYearVolumes(data, r.Members, v.Parameters.DenominatorKind!, year) : null;
                var full = forecaster.Volume(value.Denominator!.Value, asOf, prev);
                return full.Value is { } f ? WithDenominatorMethod(Forecaster.Ratio(value, f - value.Denominator!.Value), full) : null;
            }

            default:
                return null;
        }
    }

    private static Forecast WithDenominatorMethod(Forecast ratio, Forecast denominator) => ratio with
    {
        MethodSv = $"{ratio.MethodSv}; återstående volym: {denominator.MethodSv}",
        MethodEn = $"{ratio.MethodEn}; remaining volume: {denominator.MethodEn}",
    };

    private static List<DailyVolume> PreviousYearVolumes(ReportData data, IReadOnlyList<string> teams, string kind, int year) =>
        [.. data.BackOffice.Volumes.Where(x => x.Date.Year == year - 1 && x.Kind == kind && teams.Contains(x.Team))];

    private static string PeriodText(Period ytd) => ytd.Label;

    private static string? Judge(TargetStatus status) =>
        Forecaster.SuggestJudgement(status) is { } j ? Forecaster.ToSwedish(j) : null;

    internal static string StatusCode(TargetStatus status) => status switch
    {
        TargetStatus.OnTarget => "on-target",
        TargetStatus.WithinTolerance => "near-target",
        TargetStatus.OffTarget => "off-target",
        _ => "no-data",
    };

    internal static string Snake(Enum e) => JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString());
}
