using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;

namespace Driftvy.Domain.Tests.BackOffice;

public sealed class BackOfficeKpiTests
{
    private static readonly TimeSpan Cest = TimeSpan.FromHours(2);

    private static CaseRecord Case(string id, DateTimeOffset opened, DateTimeOffset? closed, int? promised = null, string team = "lr") =>
        new(id, team, "supplier_query", opened, closed, promised);

    [Fact]
    public void VolumePerFte_MonthWithoutStaffing_ThrowsNamingTeamAndMonth()
    {
        var inputs = new KpiInputs
        {
            Volumes = [new DailyVolume(new DateOnly(2026, 2, 10), "lr", "supplier_invoice", 1000), new DailyVolume(new DateOnly(2026, 3, 10), "lr", "supplier_invoice", 1000)],
            Staffing = [new MonthlyStaffing(2026, 1, "lr", 10m), new MonthlyStaffing(2026, 2, "lr", 10m), new MonthlyStaffing(2026, 4, "lr", 0m)],
        };

        var ex = Assert.Throws<MissingStaffingException>(
            () => SeedFiles.Engine().Evaluate("supplier_invoices_per_fte", Period.Tertial(2026, 1), inputs));

        Assert.Contains("'lr'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2026-03", ex.Message, StringComparison.Ordinal);
        Assert.Equal((2026, 3), (ex.Year, ex.Month));
    }

    [Fact]
    public void VolumePerFte_ZeroFteMonth_AlsoThrows()
    {
        var inputs = new KpiInputs
        {
            Volumes = [new DailyVolume(new DateOnly(2026, 4, 10), "lr", "supplier_invoice", 1000)],
            Staffing = [new MonthlyStaffing(2026, 4, "lr", 0m)],
        };

        Assert.Contains("2026-04", Assert.Throws<MissingStaffingException>(
            () => SeedFiles.Engine().Evaluate("supplier_invoices_per_fte", Period.Month(2026, 4), inputs)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VolumePerFte_PerFteYear_DividesBySumOfMonthlyFteOverTwelve()
    {
        var inputs = new KpiInputs
        {
            Volumes = [new DailyVolume(new DateOnly(2026, 1, 15), "avgifter", "preschool_invoice", 40_000)],
            Staffing = [.. Enumerable.Range(1, 4).Select(m => new MonthlyStaffing(2026, m, "avgifter", 3m))],
        };

        var v = SeedFiles.Engine().Evaluate("preschool_invoices_per_fte", Period.Tertial(2026, 1), inputs);

        Assert.Equal(1, v.Denominator!.Value, 9); // 12 FTE-months ÷ 12
        Assert.Equal(40_000, v.Value!.Value, 9);
    }

    [Fact]
    public void VolumePerFte_NoVolume_NoValueWithReason()
    {
        var v = SeedFiles.Engine().Evaluate("supplier_invoices_per_fte", Period.Month(2026, 4), new KpiInputs());

        Assert.Null(v.Value);
        Assert.Contains("supplier_invoice", v.NoValueReason, StringComparison.Ordinal);
    }

    [Fact]
    public void LeadTime_OverEaster_CalendarAndWorkingDaysDiffer()
    {
        var opened = new DateTimeOffset(2026, 4, 2, 9, 0, 0, Cest);
        var inputs = new KpiInputs { Cases = [Case("a", opened, opened.AddDays(5))] };
        var april = Period.Month(2026, 4);

        Assert.Equal(5, SeedFiles.Engine().Evaluate("case_lead_time_median_calendar_days", april, inputs).Value!.Value, 9);
        Assert.Equal(1, SeedFiles.Engine().Evaluate("case_lead_time_median_working_days", april, inputs).Value);
    }

    [Fact]
    public void LeadTime_TenCases_MedianAndP90ByNearestRank()
    {
        var start = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(1));
        var inputs = new KpiInputs { Cases = [.. Enumerable.Range(1, 10).Select(i => Case($"c{i}", start, start.AddDays(i)))] };
        var march = Period.Month(2026, 3);

        Assert.Equal(5, SeedFiles.Engine().Evaluate("case_lead_time_median_calendar_days", march, inputs).Value!.Value, 9);
        Assert.Equal(9, SeedFiles.Engine().Evaluate("case_lead_time_p90_calendar_days", march, inputs).Value!.Value, 9);
        Assert.Equal(10, SeedFiles.Engine().Evaluate("case_lead_time_p90_calendar_days", march, inputs).Denominator);
    }

    [Fact]
    public void WithinPromisedShare_CasesWithoutPromise_LeftOutAndReported()
    {
        var opened = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1)); // Monday
        var inputs = new KpiInputs
        {
            Cases =
            [
                Case("a", opened, opened.AddDays(3), promised: 3),
                Case("b", opened, opened.AddDays(7), promised: 3), // 5 working days
                Case("c", opened, opened.AddDays(1), promised: null),
                Case("d", opened, null, promised: 3),
            ],
        };

        var v = SeedFiles.Engine().Evaluate("case_within_promised_lead_time", Period.Month(2026, 3), inputs);

        Assert.Equal(50, v.Value);
        Assert.Equal(1, v.LeftOut);
    }

    [Fact]
    public void Backlog_AtPeriodEnd_CountsCasesStillOpen()
    {
        var march = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(1));
        var inputs = new KpiInputs
        {
            Cases =
            [
                Case("open", march, null),
                Case("closed-in-april", march, march.AddDays(25)),
                Case("closed-in-march", march, march.AddDays(2)),
                Case("other-team", march, null, team: "kr"),
            ],
        };

        var v = SeedFiles.Engine().Evaluate("case_backlog", Period.Month(2026, 3), inputs, new KpiScope(Teams: ["lr"]));

        Assert.Equal(2, v.Value);
        Assert.Equal(["lr"], v.Scope);
    }

    [Fact]
    public void ReminderShare_RemindersOverSupplierInvoices()
    {
        var inputs = new KpiInputs
        {
            Volumes =
            [
                new DailyVolume(new DateOnly(2026, 2, 3), "lr", "supplier_invoice", 1000),
                new DailyVolume(new DateOnly(2026, 2, 4), "lr", "reminder", 24),
                new DailyVolume(new DateOnly(2026, 9, 4), "lr", "reminder", 500),
            ],
        };

        var v = SeedFiles.Engine().Evaluate("lr_reminder_share", Period.YearToDateAtTertial(2026, 2), inputs);

        Assert.Equal(2.4, v.Value!.Value, 9);
        Assert.Equal(Accumulation.Cumulative, v.Accumulation);
    }
}
