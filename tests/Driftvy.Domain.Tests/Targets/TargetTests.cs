using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Domain.Targets;

namespace Driftvy.Domain.Tests.Targets;

public sealed class TargetTests
{
    private static KpiVersion Version(string id) => SeedFiles.Catalog.VersionOn(id, new DateOnly(2026, 6, 1))!;

    private static DerivedTarget Derived(string id, Period period, IReadOnlyList<double>? profile = null) =>
        TargetEvaluation.Derive(SeedFiles.Targets.Find(id, 2026)!, Version(id), period, profile);

    [Fact]
    public void Derive_RateKpiForTertial_SameValueAsAnnual() =>
        Assert.Equal(5300, Derived("supplier_invoices_per_fte", Period.Tertial(2026, 2)).Value);

    [Fact]
    public void Derive_PerFteYearKpi_IsARateComparedWithTheAnnualFigure()
    {
        // volume ÷ (Σ monthly FTE ÷ 12) is already scaled to a year: every period meets the annual figure itself.
        Assert.Equal(91000, Derived("preschool_invoices_per_fte", Period.Tertial(2026, 2)).Value, 6);
        Assert.Equal(91000, Derived("preschool_invoices_per_fte", Period.YearToDateAtTertial(2026, 2)).Value, 6);
    }

    [Fact]
    public void Status_PerFteYearKpi_SteadyProductionAtTheAnnualRate_IsOnTargetAtT2()
    {
        // 10 FTE all year producing 91 000 invoices per FTE-year: 75 833 a month in all.
        var engine = SeedFiles.Engine();
        var t2 = Period.YearToDateAtTertial(2026, 2);
        var inputs = new Driftvy.Domain.Kpis.KpiInputs
        {
            Volumes = [.. Enumerable.Range(1, 8).Select(m => new Driftvy.Domain.BackOffice.DailyVolume(new DateOnly(2026, m, 15), "avgifter", "preschool_invoice", 75_833))],
            Staffing = [.. Enumerable.Range(1, 8).Select(m => new Driftvy.Domain.BackOffice.MonthlyStaffing(2026, m, "avgifter", 10m))],
        };

        var value = engine.Evaluate("preschool_invoices_per_fte", t2, inputs);
        var status = TargetEvaluation.Evaluate(value, Derived("preschool_invoices_per_fte", t2), Version("preschool_invoices_per_fte").Direction);

        Assert.Equal(90_999.6, value.Value!.Value, 6);
        Assert.Equal(TargetStatus.WithinTolerance, status.Status);
    }

    [Fact]
    public void Derive_MonthlyProfile_WeighsMonths()
    {
        // All of the year's fee adjustments expected in January and August.
        double[] profile = [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0];

        Assert.Equal(5000, Derived("preschool_fee_adjusted_families", Period.Month(2026, 8), profile).Value, 9);
        Assert.Equal(0, Derived("preschool_fee_adjusted_families", Period.Month(2026, 3), profile).Value, 9);
        Assert.Throws<ArgumentException>(() => Derived("preschool_fee_adjusted_families", Period.Month(2026, 3), [1, 2]));
    }

    [Theory]
    [InlineData(86.0, TargetStatus.OnTarget, 1.0)]
    [InlineData(85.0, TargetStatus.OnTarget, 0.0)]
    [InlineData(83.5, TargetStatus.WithinTolerance, -1.5)]
    [InlineData(64.0, TargetStatus.OffTarget, -21.0)]
    public void Evaluate_HigherIsBetter_StatusAndGapInPercentagePoints(double value, TargetStatus expected, double gap)
    {
        var target = TargetEvaluation.Derive(SeedFiles.Targets.Find("kc_answered_within_1_min", 2026)!,
            Version("kc_answered_within_1_min"), Period.Tertial(2026, 2));

        var r = TargetEvaluation.Evaluate(value, target, KpiDirection.HigherIsBetter);

        Assert.Equal(expected, r.Status);
        Assert.Equal(gap, r.Gap!.Value, 9);
    }

    [Theory]
    [InlineData(5.0, TargetStatus.OnTarget, 0.5)]
    [InlineData(5.9, TargetStatus.WithinTolerance, -0.4)]
    [InlineData(6.5, TargetStatus.OffTarget, -1.0)]
    public void Evaluate_LowerIsBetter_ShortfallIsNegative(double value, TargetStatus expected, double gap)
    {
        var r = TargetEvaluation.Evaluate(value, Derived("sick_leave", Period.Tertial(2026, 1)), KpiDirection.LowerIsBetter);

        Assert.Equal(expected, r.Status);
        Assert.Equal(gap, r.Gap!.Value, 9);
    }

    [Theory]
    [InlineData(0.4, TargetStatus.OnTarget, 0.0)]
    [InlineData(-1.0, TargetStatus.OnTarget, 0.0)]
    [InlineData(2.0, TargetStatus.OffTarget, -1.0)]
    [InlineData(-6.0, TargetStatus.OffTarget, -5.0)]
    public void Evaluate_Band_InsideIsOnTargetOutsideIsDistance(double value, TargetStatus expected, double gap)
    {
        var r = TargetEvaluation.Evaluate(value, Derived("forecast_accuracy_t2", Period.FullYear(2026)), KpiDirection.Band);

        Assert.Equal(expected, r.Status);
        Assert.Equal(gap, r.Gap!.Value, 9);
    }

    [Fact]
    public void Evaluate_BudgetAdherenceWithinOnePoint_WithinTolerance() =>
        Assert.Equal(TargetStatus.WithinTolerance,
            TargetEvaluation.Evaluate(99.2, Derived("budget_adherence_before_transfers", Period.Tertial(2026, 2)), KpiDirection.Band).Status);

    [Fact]
    public void Evaluate_NoValue_StatusNoValueWithReason()
    {
        var value = SeedFiles.Engine().Evaluate("kc_answered_within_1_min", Period.Month(2026, 3), new KpiInputs());

        var r = TargetEvaluation.Evaluate(value, TargetEvaluation.Derive(SeedFiles.Targets.Find("kc_answered_within_1_min", 2026)!,
            Version("kc_answered_within_1_min"), Period.Month(2026, 3)), KpiDirection.HigherIsBetter);

        Assert.Equal(TargetStatus.NoValue, r.Status);
        Assert.Null(r.Gap);
        Assert.Contains("no contacts", r.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_EnteredValue_FoundByPeriodId()
    {
        var inputs = new KpiInputs { Entered = [new EnteredValue("nki_base_services", "2026", 69, "customer survey 2026")] };

        var v = SeedFiles.Engine().Evaluate("nki_base_services", Period.FullYear(2026), inputs);

        Assert.Equal(69, v.Value);
        Assert.Contains("customer survey", v.LeftOutNote, StringComparison.Ordinal);
        Assert.Null(SeedFiles.Engine().Evaluate("nki_base_services", Period.FullYear(2025), inputs).Value);
    }
}
