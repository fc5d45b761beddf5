using Driftvy.Domain.Calendar;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;

namespace Driftvy.Domain.BackOffice;

/// <summary>Back-office formulas over cases, daily volumes and monthly staffing.</summary>
internal static class BackOfficeFormulas
{
    public static Measure VolumePerFte(
        string kpiId, IEnumerable<DailyVolume> volumes, IEnumerable<MonthlyStaffing> staffing,
        IReadOnlyCollection<string> teams, string kind, Period period, FteBasis basis)
    {
        var rows = volumes.Where(v => teams.Contains(v.Team) && v.Kind == kind && period.Contains(v.Date)).ToList();
        if (rows.Count == 0)
        {
            return Measure.None($"no '{kind}' volume recorded for {string.Join(", ", teams)} in {period.Label}");
        }

        var volume = (double)rows.Sum(v => v.Count);
        var fteByMonth = staffing.Where(s => teams.Contains(s.Team))
            .GroupBy(s => (s.Team, s.Year, s.Month))
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Fte));

        // Months only partly inside the period (weeks, days, a year to date ending mid-month) count by the
        // share of their days the period covers.
        double fteMonths = 0;
        foreach (var team in teams.Order(StringComparer.Ordinal))
        {
            foreach (var m in period.Months())
            {
                if (!fteByMonth.TryGetValue((team, m.Year, m.Month), out var fte) || fte <= 0)
                {
                    throw new MissingStaffingException(team, m.Year, m.Month, kpiId);
                }

                fteMonths += (double)fte * m.Share;
            }
        }

        var denominator = basis == FteBasis.PerFteYear ? fteMonths / 12 : fteMonths;
        return Measure.Ratio(volume, denominator, "no staffing in the period");
    }

    public static Measure Volume(IEnumerable<DailyVolume> volumes, IReadOnlyCollection<string> teams, string kind, Period period)
    {
        var rows = volumes.Where(v => teams.Contains(v.Team) && v.Kind == kind && period.Contains(v.Date)).ToList();
        return rows.Count == 0
            ? Measure.None($"no '{kind}' volume recorded for {string.Join(", ", teams)} in {period.Label}")
            : new Measure(rows.Sum(v => v.Count), rows.Sum(v => v.Count), null, null);
    }

    public static Measure VolumeRatio(
        IEnumerable<DailyVolume> volumes, IReadOnlyCollection<string> teams, string numeratorKind, string denominatorKind, Period period)
    {
        var inPeriod = volumes.Where(v => teams.Contains(v.Team) && period.Contains(v.Date)).ToList();
        var numerator = inPeriod.Where(v => v.Kind == numeratorKind).Sum(v => (double)v.Count);
        var denominator = inPeriod.Where(v => v.Kind == denominatorKind).Sum(v => (double)v.Count);
        return Measure.Percent(numerator, denominator, $"no '{denominatorKind}' volume in {period.Label}");
    }

    /// <summary>Open cases at an instant: opened before it and not closed by it.</summary>
    public static Measure Backlog(IEnumerable<CaseRecord> cases, IReadOnlyCollection<string> teams, string? kind, DateTimeOffset at)
    {
        var relevant = cases.Where(c => teams.Contains(c.Team) && (kind is null || c.Kind == kind)).ToList();
        if (relevant.Count == 0)
        {
            return Measure.None($"no cases recorded for {string.Join(", ", teams)}");
        }

        var open = relevant.Count(c => c.OpenedAt < at && (c.ClosedAt is null || c.ClosedAt >= at));
        return new Measure(open, open, null, null);
    }

    public static Measure LeadTimePercentile(
        IEnumerable<CaseRecord> cases, IReadOnlyCollection<string> teams, string? kind, Period period,
        double percentile, DayBasis basis, WorkingCalendar calendar)
    {
        var durations = ClosedIn(cases, teams, kind, period).Select(c => LeadDays(c, basis, calendar)).ToList();
        if (durations.Count == 0)
        {
            return Measure.None($"no cases closed in {period.Label}");
        }

        return new Measure(NearestRank(durations, percentile), null, durations.Count, null);
    }

    public static Measure WithinPromisedShare(
        IEnumerable<CaseRecord> cases, IReadOnlyCollection<string> teams, string? kind, Period period,
        DayBasis basis, WorkingCalendar calendar)
    {
        var closed = ClosedIn(cases, teams, kind, period).ToList();
        var promised = closed.Where(c => c.PromisedDays is not null).ToList();
        var within = promised.Count(c => LeadDays(c, basis, calendar) <= c.PromisedDays!.Value);
        var leftOut = closed.Count - promised.Count;
        var m = Measure.Percent(within, promised.Count,
            closed.Count == 0 ? $"no cases closed in {period.Label}" : "none of the closed cases carries a promised lead time");
        return m with
        {
            LeftOut = leftOut,
            LeftOutNote = leftOut == 0 ? null : $"{leftOut} closed case(s) without a promised lead time left out",
        };
    }

    /// <summary>
    /// Lead time in days. Calendar days: the exact elapsed time (closed_at − opened_at) in days. Working
    /// days: working days after the opening date up to and including the closing date (Stockholm dates).
    /// </summary>
    internal static double LeadDays(CaseRecord c, DayBasis basis, WorkingCalendar calendar) => basis switch
    {
        DayBasis.WorkingDays => calendar.WorkingDaysElapsed(StockholmTime.LocalDate(c.OpenedAt), StockholmTime.LocalDate(c.ClosedAt!.Value)),
        _ => Math.Max(0, (c.ClosedAt!.Value - c.OpenedAt).TotalDays),
    };

    /// <summary>Nearest-rank percentile: the smallest value with at least ⌈p/100 · n⌉ values at or below it.</summary>
    internal static double NearestRank(List<double> values, double percentile)
    {
        values.Sort();
        var rank = Math.Max(1, (int)Math.Ceiling((percentile / 100 * values.Count) - 1e-9));
        return values[Math.Min(rank, values.Count) - 1];
    }

    private static IEnumerable<CaseRecord> ClosedIn(IEnumerable<CaseRecord> cases, IReadOnlyCollection<string> teams, string? kind, Period period) =>
        cases.Where(c => teams.Contains(c.Team) && (kind is null || c.Kind == kind) && c.ClosedAt is { } closed && period.Contains(closed));
}
