using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Web.Steering;

namespace Driftvy.Web.Tests.Steering;

/// <summary>Back-office facts held in memory, filtered the way the interface promises.</summary>
internal sealed class FakeBackOfficeFacts(IReadOnlyList<CaseRecord> cases, IReadOnlyList<DailyVolume> volumes, IReadOnlyList<MonthlyStaffing> staffing, DateTimeOffset? asOf) : IBackOfficeFacts
{
    public Task<BackOfficeFactSet> ReadAsync(IReadOnlyCollection<string> teams, DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken)
    {
        var start = StockholmTime.StartOfDayUtc(from);
        var end = StockholmTime.StartOfDayUtc(toExclusive);
        return Task.FromResult(new BackOfficeFactSet(
            [.. cases.Where(c => teams.Contains(c.Team) && c.OpenedAt < end && (c.ClosedAt is null || c.ClosedAt >= start))],
            [.. volumes.Where(v => teams.Contains(v.Team) && v.Date >= from && v.Date < toExclusive)],
            [.. staffing.Where(s => teams.Contains(s.Team) && new DateOnly(s.Year, s.Month, 1) < toExclusive && new DateOnly(s.Year, s.Month, 1).AddMonths(1) > from)],
            asOf));
    }

    /// <summary>
    /// A plausible year and a half for every back-office team up to <paramref name="today"/>: daily volumes on
    /// working days, monthly FTE, and cases (some still open, most closed within their promised lead time).
    /// </summary>
    public static FakeBackOfficeFacts Plausible(DateOnly today, DateTimeOffset asOf)
    {
        var calendar = new WorkingCalendar();
        (string Team, string Kind, int PerDay, decimal Fte)[] teams =
        [
            ("lr", "supplier_invoice", 5200, 18m), ("lr", "reminder", 90, 0m), ("kr", "customer_invoice", 5600, 16m),
            ("avgifter", "preschool_invoice", 90000, 7m), ("lon", "payslip", 950, 45m),
        ];
        var volumes = new List<DailyVolume>();
        var staffing = new List<MonthlyStaffing>();
        var from = new DateOnly(today.Year - 1, 1, 1);
        foreach (var (team, kind, perDay, fte) in teams)
        {
            for (var d = from; d <= today; d = d.AddDays(1))
            {
                if (calendar.IsWorkingDay(d))
                {
                    // Per-FTE targets are monthly figures: spread a month's volume over its ~21 working days.
                    volumes.Add(new DailyVolume(d, team, kind, perDay * (long)(fte == 0 ? 18 : fte) / 21 / (kind == "preschool_invoice" ? 12 : 1)));
                }
            }

            for (var m = from; m <= today; m = m.AddMonths(1))
            {
                if (fte > 0)
                {
                    staffing.Add(new MonthlyStaffing(m.Year, m.Month, team, fte));
                }
            }
        }

        var cases = new List<CaseRecord>();
        var n = 0;
        foreach (var team in new[] { "lr", "kr", "avgifter", "lon", "kc" })
        {
            for (var d = today.AddDays(-60); d <= today; d = d.AddDays(1))
            {
                for (var i = 0; i < 3; i++)
                {
                    var opened = StockholmTime.StartOfDayUtc(d).AddHours(9 + i);
                    var days = (n % 7) + 1;
                    DateTimeOffset? closed = d.AddDays(days + 2) <= today ? opened.AddDays(days) : null;
                    cases.Add(new CaseRecord($"case-{n++}", team, "query", opened, closed, 5));
                }
            }
        }

        return new FakeBackOfficeFacts(cases, volumes, staffing, asOf);
    }
}
