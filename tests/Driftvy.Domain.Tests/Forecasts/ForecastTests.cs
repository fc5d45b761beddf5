using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Forecasts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Domain.Targets;

namespace Driftvy.Domain.Tests.Forecasts;

public sealed class ForecastTests
{
    private readonly Forecaster _forecaster = new(new WorkingCalendar());

    [Fact]
    public void Volume_WithPreviousYear_ScalesByLastYearsShareAtSameDate()
    {
        // 2025: 600 by 31 August, 400 after: 60 % of the year done at T2.
        DailyVolume[] previous =
        [
            new(new DateOnly(2025, 3, 3), "lr", "supplier_invoice", 600),
            new(new DateOnly(2025, 10, 1), "lr", "supplier_invoice", 400),
        ];

        var f = _forecaster.Volume(900, new DateOnly(2026, 8, 31), previous);

        Assert.Equal(ForecastMethod.PreviousYearShare, f.Method);
        Assert.Equal(1500, f.Value!.Value, 9);
        Assert.Equal(0.6, f.ShareOfYearDone!.Value, 9);
        Assert.Contains("2025", f.MethodEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Volume_WithoutPreviousYear_ScalesByWorkingDays()
    {
        var calendar = new WorkingCalendar();
        var done = calendar.WorkingDaysInRange(new DateOnly(2026, 1, 1), new DateOnly(2026, 9, 1));

        var f = _forecaster.Volume(done * 100, new DateOnly(2026, 8, 31));

        Assert.Equal(ForecastMethod.WorkingDays, f.Method);
        Assert.Equal(251 * 100, f.Value!.Value, 6);
        Assert.Contains("working days", f.MethodEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Ratio_YtdWeightedWithRemainingVolume()
    {
        var ytd = new KpiValue
        {
            KpiId = "lr_reminder_share", Version = 1, Period = Period.YearToDateAtTertial(2026, 2), Value = 2.4,
            Numerator = 24, Denominator = 1000, Unit = KpiUnit.Percent, FormulaEn = "", FormulaSv = "", Scope = ["lr"],
        };

        var same = Forecaster.Ratio(ytd, 500);
        var better = Forecaster.Ratio(ytd, 500, remainingRatio: 1.2);

        Assert.Equal(2.4, same.Value!.Value, 9);
        Assert.Equal((2400 + (1.2 * 500)) / 1500, better.Value!.Value, 9); // 2.0 %
        Assert.Equal(ForecastMethod.RatioWeightedByRemainingVolume, better.Method);
    }

    [Fact]
    public void Accuracy_ForecastAboveOutcome_PositivePercent()
    {
        Assert.Equal(2, Forecaster.Accuracy(102, 100)!.Value, 9);
        Assert.Equal(-6, Forecaster.Accuracy(94, 100)!.Value, 9);
        Assert.Null(Forecaster.Accuracy(5, 0));
    }

    [Fact]
    public void SuggestJudgement_FromForecastStatus_MapsToReportWording()
    {
        var target = TargetEvaluation.Derive(SeedFiles.Targets.Find("kc_answered_within_1_min", 2026)!,
            SeedFiles.Catalog.VersionOn("kc_answered_within_1_min", new DateOnly(2026, 1, 1))!, Period.FullYear(2026));

        string Verdict(double forecast) =>
            Forecaster.ToSwedish(Forecaster.SuggestJudgement(TargetEvaluation.Evaluate(forecast, target, KpiDirection.HigherIsBetter).Status)!.Value);

        Assert.Equal("Uppfylls helt", Verdict(86));
        Assert.Equal("Uppfylls delvis", Verdict(84));
        Assert.Equal("Uppfylls inte", Verdict(67));
        Assert.Null(Forecaster.SuggestJudgement(TargetStatus.NoValue));
    }
}
