using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Web.Infrastructure;
using Driftvy.Web.Kpis;
using Driftvy.Web.Reports;

namespace Driftvy.Web.Tests.Reports;

/// <summary>
/// Two years of inputs (2025 and January–August 2026) built so that every figure of the reports is
/// known by hand. Every calendar day, each queue gets the same contacts:
/// 2026: 10 answered after 30 s (8 resolved at first contact, 2 not), 2 answered after 90 s (resolved),
///       1 abandoned after 120 s and 1 after 3 s (a short abandon); handle time 300 s each.
/// 2025: 12 answered after 30 s (9 resolved, 3 not), 1 abandoned after 120 s, 1 after 3 s.
/// Back office per month (volumes on the 1st): kr 63 000 customer invoices on 10 FTE (6 300 per FTE-month;
/// 2025: 60 000); lr 61 200 supplier invoices and 1 224 reminders on 12 FTE (5 100 and 2 %; 2025: 66 000
/// and 660, 5 500 and 1 %); avgifter 28 000 preschool invoices on 4 FTE (84 000 per FTE-year; 2025: 30 000,
/// 90 000); lon 30 000 payslips on 30 FTE (1 000; 2025: 1 000). lr cases: one a month, opened on a
/// Monday 09:00 and closed the next Monday (7 calendar days, 5 working days, promised 5), plus one opened
/// 2026-08-20 and still open. Entered: sick leave T2 2026 5.2 % (men 4.1, women 5.9), forecast 5.4, 2025 5.6;
/// NKI 2025 65.
/// </summary>
internal static class ReportTestData
{
    public static readonly DateOnly[] CaseMondays =
    [
        new(2026, 1, 12), new(2026, 2, 9), new(2026, 3, 9), new(2026, 4, 13),
        new(2026, 5, 18), new(2026, 6, 8), new(2026, 7, 13), new(2026, 8, 10),
    ];

    public static KpiSetup Kpis() => KpiSetup.Load(DriftvyServices.ResolveFolder("seed", AppContext.BaseDirectory));

    public static ReportBuilder Builder(KpiSetup kpis) => new(kpis, new KfTargets());

    public static ContactTally DayTally(int year)
    {
        var t = new ContactTally();
        var at = new DateTimeOffset(year, 3, 2, 9, 0, 0, TimeSpan.FromHours(1));
        var n = 0;
        ContactRecord Answered(int wait, bool? fcr) =>
            new($"c{n++}", Channel.Phone, "q", at, at.AddSeconds(wait), null, at.AddSeconds(wait + 300), fcr);
        ContactRecord Abandoned(int wait) => new($"c{n++}", Channel.Phone, "q", at, null, at.AddSeconds(wait), null, null);
        if (year == 2026)
        {
            for (var i = 0; i < 10; i++)
            {
                t.Add(Answered(30, i < 8));
            }

            t.Add(Answered(90, true));
            t.Add(Answered(90, true));
        }
        else
        {
            for (var i = 0; i < 12; i++)
            {
                t.Add(Answered(30, i < 9));
            }
        }

        t.Add(Abandoned(120));
        t.Add(Abandoned(3));
        return t;
    }

    public static BackOfficeData BackOffice()
    {
        var volumes = new List<DailyVolume>();
        var staffing = new List<MonthlyStaffing>();
        foreach (var year in new[] { 2025, 2026 })
        {
            var months = year == 2025 ? 12 : 8;
            for (var m = 1; m <= months; m++)
            {
                var first = new DateOnly(year, m, 1);
                volumes.Add(new DailyVolume(first, "kr", "customer_invoice", year == 2026 ? 63_000 : 60_000));
                volumes.Add(new DailyVolume(first, "lr", "supplier_invoice", year == 2026 ? 61_200 : 66_000));
                volumes.Add(new DailyVolume(first, "lr", "reminder", year == 2026 ? 1_224 : 660));
                volumes.Add(new DailyVolume(first, "avgifter", "preschool_invoice", year == 2026 ? 28_000 : 30_000));
                volumes.Add(new DailyVolume(first, "lon", "payslip", 30_000));
                staffing.Add(new MonthlyStaffing(year, m, "kr", 10));
                staffing.Add(new MonthlyStaffing(year, m, "lr", 12));
                staffing.Add(new MonthlyStaffing(year, m, "avgifter", 4));
                staffing.Add(new MonthlyStaffing(year, m, "lon", 30));
            }
        }

        var cases = new List<CaseRecord>();
        foreach (var monday in CaseMondays)
        {
            var opened = StockholmTime.StartOfDayUtc(monday).AddHours(9);
            cases.Add(new CaseRecord($"lr-{monday:yyyyMMdd}", "lr", "supplier_query", opened, opened.AddDays(7), 5));
        }

        var open = StockholmTime.StartOfDayUtc(new DateOnly(2026, 8, 20)).AddHours(9);
        cases.Add(new CaseRecord("lr-open", "lr", "supplier_query", open, null, 5));
        return new BackOfficeData
        {
            Volumes = volumes,
            Staffing = staffing,
            Cases = cases,
            Entered =
            [
                new EnteredValue("sick_leave", "2026-T2", 5.2, "HR-systemet"),
                new EnteredValue("sick_leave", "2026-T2-ytd-forecast", 5.4, "HR-prognos"),
                new EnteredValue("sick_leave", "2025", 5.6, "VB 2025"),
                new EnteredValue("nki_base_services", "2025", 65, "kundenkät 2025"),
            ],
            GenderSplits = [new GenderSplit("sick_leave", "2026-T2", 4.1, 5.9)],
        };
    }

    /// <summary>Contacts of every queue on every day from 2025-01-01 to 2026-08-31.</summary>
    public static List<DailyTally> Contacts(IEnumerable<string> queues, DateOnly toExclusive)
    {
        var list = new List<DailyTally>();
        var t25 = DayTally(2025);
        var t26 = DayTally(2026);
        foreach (var q in queues)
        {
            for (var d = new DateOnly(2025, 1, 1); d < toExclusive; d = d.AddDays(1))
            {
                var t = new ContactTally();
                t.Merge(d.Year == 2025 ? t25 : t26);
                list.Add(new DailyTally(q, d, t));
            }
        }

        return list;
    }
}

/// <summary>Report inputs held in memory; <see cref="Late"/> adds data that arrives after a report was frozen.</summary>
internal sealed class InMemoryReportInputs(IReadOnlyList<DailyTally> contacts, BackOfficeData backOffice) : IReportInputs
{
    public List<DailyTally> Late { get; } = [];

    public Task<ReportData> LoadAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken) =>
        Task.FromResult(Load(from, toExclusive));

    public ReportData Load(DateOnly from, DateOnly toExclusive) =>
        new(from, toExclusive, [.. contacts.Concat(Late).Where(c => c.Date >= from && c.Date < toExclusive)], backOffice);

    public static InMemoryReportInputs Standard(KpiSetup kpis) =>
        new(ReportTestData.Contacts(kpis.Organisation.Queues.Select(q => q.Id), new DateOnly(2026, 9, 1)), ReportTestData.BackOffice());
}
