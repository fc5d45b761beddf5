using System.Globalization;
using System.Text;
using Driftvy.Domain.Calendar;

namespace Driftvy.Web.Sources.Simulator;

/// <summary>
/// The simulated back office, as the import's CSV: monthly staffing per team, daily volumes on working days (supplier
/// and customer invoices, reminders, preschool invoices, payslips around the 25th, pay day) near the city's per-FTE
/// targets, and cases per team with lead times against a promise of five working days. The reminders jump by 70 % in
/// the last four months, as the plans describe. Deterministic from the seed, and the same for a day however the range
/// around it is cut (each month, day and team draws from its own random stream): the history written at a first start
/// and the day's own movement (<see cref="Today"/>) agree on every case and count.
/// </summary>
internal sealed record BackOfficeHistory(string Staffing, string Volumes, string Cases)
{
    private static readonly WorkingCalendar Calendar = new();

    // team, volume kind, produced per FTE and month (payslips: per FTE and month; preschool invoices: a twelfth of the yearly figure), FTE.
    private static readonly (string Team, string Kind, double PerFteMonth, double Fte)[] Production =
    [
        ("lr", "supplier_invoice", 5250, 18), ("kr", "customer_invoice", 6200, 16), ("avgifter", "preschool_invoice", 91_500 / 12.0, 7), ("lon", "payslip", 955, 45),
    ];

    private static readonly (string Team, double CasesPerDay, double MeanLeadDays)[] CaseLoad =
    [
        ("kc", 14, 2.5), ("lr", 9, 3.5), ("kr", 7, 3.0), ("avgifter", 6, 4.0), ("lon", 11, 2.8),
    ];

    private const int PromisedWorkingDays = 5;

    // The back office works 08:00–17:00: a day's volumes grow over these hours.
    private static readonly TimeOnly WorkStarts = new(8, 0);
    private static readonly TimeOnly WorkEnds = new(17, 0);

    /// <summary>The closed days [from, toExclusive): everything as it stood when <paramref name="toExclusive"/> began.</summary>
    public static BackOfficeHistory For(int seed, DateOnly from, DateOnly toExclusive) =>
        Build(seed, from, toExclusive, StockholmTime.StartOfDayUtc(toExclusive), changedOn: null);

    /// <summary>
    /// The back office's day so far at <paramref name="now"/>: this month's staffing, today's volumes as far as the
    /// working day has come, and the cases opened or closed today up to now.
    /// </summary>
    public static BackOfficeHistory Today(int seed, DateTimeOffset now)
    {
        var today = StockholmTime.LocalDate(now);
        // Cases closing today were opened up to a few weeks ago; their streams are drawn again, and only today's changes kept.
        return Build(seed, today.AddDays(-90), today.AddDays(1), now, changedOn: today);
    }

    private static BackOfficeHistory Build(int seed, DateOnly from, DateOnly toExclusive, DateTimeOffset asOf, DateOnly? changedOn)
    {
        var staffing = new StringBuilder("month,team,fte\n");
        var volumes = new StringBuilder("date,team,kind,count\n");
        var cases = new StringBuilder("case_id,team,kind,opened_at,closed_at,promised_days\n");
        var asOfDay = StockholmTime.LocalDate(asOf);
        var jumpFrom = new DateOnly(asOfDay.Year, asOfDay.Month, 1).AddMonths(-3);
        for (var month = new DateOnly(from.Year, from.Month, 1); month < toExclusive; month = month.AddMonths(1))
        {
            var workingDays = Enumerable.Range(0, month.AddMonths(1).DayNumber - month.DayNumber).Select(month.AddDays).Where(Calendar.IsWorkingDay).ToList();
            foreach (var (team, kind, perFte, fte) in Production)
            {
                var rng = Stream(seed, month.DayNumber, team, kind);
                // Staffing moves a little month to month (vacancies, parental leave), with fewer on duty in July.
                var onDuty = Math.Round(fte * (month.Month == 7 ? 0.8 : 1.0) * (0.96 + (rng.NextDouble() * 0.06)), 1);
                if (changedOn is null || month == new DateOnly(changedOn.Value.Year, changedOn.Value.Month, 1))
                {
                    staffing.Append(CultureInfo.InvariantCulture, $"{month:yyyy-MM},{team},{onDuty}\n");
                }

                var monthly = perFte * onDuty * (0.95 + (rng.NextDouble() * 0.1));
                var weights = workingDays.Select(d => kind == "payslip" ? PayrollWeight(d) : 0.8 + (rng.NextDouble() * 0.4)).ToList();
                var total = weights.Sum();
                for (var i = 0; i < workingDays.Count; i++)
                {
                    var day = workingDays[i];
                    if (day < from || day >= toExclusive || day > asOfDay || (changedOn is { } c && day != c))
                    {
                        continue;
                    }

                    var done = day < asOfDay ? 1.0 : ShareOfWorkingDay(day, asOf);
                    var count = (long)Math.Round(monthly * weights[i] / total * done);
                    if (day == asOfDay && done <= 0)
                    {
                        continue;
                    }

                    volumes.Append(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},{team},{kind},{count}\n");
                    if (kind == "supplier_invoice")
                    {
                        var share = 0.015 * (day >= jumpFrom ? 1.7 : 1.0) * (0.85 + (Stream(seed, day.DayNumber, "lr", "reminder").NextDouble() * 0.3));
                        volumes.Append(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},lr,reminder,{(long)Math.Round(count * share)}\n");
                    }
                }
            }
        }

        for (var d = from; d < toExclusive; d = d.AddDays(1))
        {
            if (!Calendar.IsWorkingDay(d))
            {
                continue;
            }

            foreach (var (team, perDay, meanLead) in CaseLoad)
            {
                var rng = Stream(seed, d.DayNumber, team, "cases");
                var opened = (int)Math.Round(perDay * (0.7 + (rng.NextDouble() * 0.6)));
                for (var i = 0; i < opened; i++)
                {
                    var at = StockholmTime.ToUtc(d, WorkStarts).AddMinutes(rng.Next(0, 8 * 60));
                    // Log-normal lead times in working days: most within the promise, a tail beyond it.
                    var lead = Math.Max(0, (int)Math.Round(Math.Exp(Math.Log(meanLead) - 0.18 + (0.6 * Normal(rng)))));
                    var closedDay = AddWorkingDays(d, lead);
                    var closed = StockholmTime.ToUtc(closedDay, new TimeOnly(9, 0)).AddMinutes(rng.Next(0, 7 * 60));
                    if (closed <= at)
                    {
                        closed = at.AddMinutes(30 + rng.Next(0, 180));
                    }

                    if (at > asOf)
                    {
                        continue;
                    }

                    var closedNow = closed <= asOf ? closed : (DateTimeOffset?)null;
                    if (changedOn is { } c && StockholmTime.LocalDate(at) != c && (closedNow is not { } x || StockholmTime.LocalDate(x) != c))
                    {
                        continue;
                    }

                    cases.Append(CultureInfo.InvariantCulture, $"sim-case-{team}-{d:yyyyMMdd}-{i + 1:D3},{team},query,{Iso(at)},{(closedNow is { } y ? Iso(y) : "")},{PromisedWorkingDays}\n");
                }
            }
        }

        return new BackOfficeHistory(staffing.ToString(), volumes.ToString(), cases.ToString());
    }

    /// <summary>How much of <paramref name="day"/>'s work is done at <paramref name="now"/> (0 before 08:00, 1 after 17:00).</summary>
    private static double ShareOfWorkingDay(DateOnly day, DateTimeOffset now)
    {
        var start = StockholmTime.ToUtc(day, WorkStarts);
        var end = StockholmTime.ToUtc(day, WorkEnds);
        return Math.Clamp((now - start) / (end - start), 0, 1);
    }

    /// <summary>A random stream of its own for one month or day (<paramref name="dayNumber"/>) and unit, stable across runs and processes.</summary>
    private static Random Stream(int seed, int dayNumber, string unit, string what)
    {
        // FNV-1a over the parts: string.GetHashCode differs between processes.
        var h = 2166136261u;
        foreach (var ch in $"{seed}|{dayNumber}|{unit}|{what}")
        {
            h = (h ^ ch) * 16777619u;
        }

        return new Random((int)h);
    }

    /// <summary>Payslips gather in the days before the 25th (pay day) and are few after it.</summary>
    private static double PayrollWeight(DateOnly day) => day.Day switch
    {
        >= 15 and <= 24 => 3.0,
        > 24 => 0.3,
        _ => 0.6,
    };

    private static DateOnly AddWorkingDays(DateOnly day, int n)
    {
        var d = day;
        while (n > 0)
        {
            d = d.AddDays(1);
            if (Calendar.IsWorkingDay(d))
            {
                n--;
            }
        }

        return d;
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
