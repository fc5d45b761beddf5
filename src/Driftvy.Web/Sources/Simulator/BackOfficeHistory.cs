using System.Globalization;
using System.Text;
using Driftvy.Domain.Calendar;

namespace Driftvy.Web.Sources.Simulator;

/// <summary>
/// The simulated back office's past, as the import's CSV: monthly staffing per team, daily volumes on working days
/// (supplier and customer invoices, reminders, preschool invoices, payslips around the 25th, pay day) near the city's
/// per-FTE targets, and cases per team with lead times against a promise of five working days. The reminders jump by
/// 70 % in the last four months, as the plans describe. Deterministic from the seed.
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

    public static BackOfficeHistory For(int seed, DateOnly from, DateOnly toExclusive)
    {
        var rng = new Random(seed ^ 0x0BAC0FF1);
        var staffing = new StringBuilder("month,team,fte\n");
        var volumes = new StringBuilder("date,team,kind,count\n");
        var cases = new StringBuilder("case_id,team,kind,opened_at,closed_at,promised_days\n");
        var lastMonth = toExclusive.AddDays(-1);
        var jumpFrom = new DateOnly(lastMonth.Year, lastMonth.Month, 1).AddMonths(-3);
        for (var month = new DateOnly(from.Year, from.Month, 1); month < toExclusive; month = month.AddMonths(1))
        {
            var workingDays = Enumerable.Range(0, month.AddMonths(1).DayNumber - month.DayNumber).Select(month.AddDays).Where(Calendar.IsWorkingDay).ToList();
            foreach (var (team, kind, perFte, fte) in Production)
            {
                // Staffing moves a little month to month (vacancies, parental leave), with fewer on duty in July.
                var onDuty = Math.Round(fte * (month.Month == 7 ? 0.8 : 1.0) * (0.96 + (rng.NextDouble() * 0.06)), 1);
                staffing.Append(CultureInfo.InvariantCulture, $"{month:yyyy-MM},{team},{onDuty}\n");
                var monthly = perFte * onDuty * (0.95 + (rng.NextDouble() * 0.1));
                var weights = workingDays.Select(d => kind == "payslip" ? PayrollWeight(d) : 0.8 + (rng.NextDouble() * 0.4)).ToList();
                var total = weights.Sum();
                for (var i = 0; i < workingDays.Count; i++)
                {
                    if (workingDays[i] < from || workingDays[i] >= toExclusive)
                    {
                        continue;
                    }

                    var count = (long)Math.Round(monthly * weights[i] / total);
                    volumes.Append(CultureInfo.InvariantCulture, $"{workingDays[i]:yyyy-MM-dd},{team},{kind},{count}\n");
                    if (kind == "supplier_invoice")
                    {
                        var share = 0.015 * (workingDays[i] >= jumpFrom ? 1.7 : 1.0) * (0.85 + (rng.NextDouble() * 0.3));
                        volumes.Append(CultureInfo.InvariantCulture, $"{workingDays[i]:yyyy-MM-dd},lr,reminder,{(long)Math.Round(count * share)}\n");
                    }
                }
            }
        }

        var n = 0;
        for (var d = from; d < toExclusive; d = d.AddDays(1))
        {
            if (!Calendar.IsWorkingDay(d))
            {
                continue;
            }

            foreach (var (team, perDay, meanLead) in CaseLoad)
            {
                var opened = (int)Math.Round(perDay * (0.7 + (rng.NextDouble() * 0.6)));
                for (var i = 0; i < opened; i++)
                {
                    var at = StockholmTime.ToUtc(d, new TimeOnly(8, 0)).AddMinutes(rng.Next(0, 8 * 60));
                    // Log-normal lead times in working days: most within the promise, a tail beyond it.
                    var lead = Math.Max(0, (int)Math.Round(Math.Exp(Math.Log(meanLead) - 0.18 + (0.6 * Normal(rng)))));
                    var closedDay = AddWorkingDays(d, lead);
                    var closed = closedDay < toExclusive ? StockholmTime.ToUtc(closedDay, new TimeOnly(9, 0)).AddMinutes(rng.Next(0, 7 * 60)) : (DateTimeOffset?)null;
                    if (closed is { } c && c <= at)
                    {
                        closed = at.AddMinutes(30 + rng.Next(0, 180));
                    }

                    cases.Append(CultureInfo.InvariantCulture, $"sim-case-{team}-{d:yyyyMMdd}-{++n:D6},{team},query,{Iso(at)},{(closed is { } x ? Iso(x) : "")},{PromisedWorkingDays}\n");
                }
            }
        }

        return new BackOfficeHistory(staffing.ToString(), volumes.ToString(), cases.ToString());
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
