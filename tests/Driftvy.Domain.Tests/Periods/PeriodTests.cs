using Driftvy.Domain.Periods;

namespace Driftvy.Domain.Tests.Periods;

public sealed class PeriodTests
{
    [Fact]
    public void Tertial_Numbers_CoverFourMonthsEach()
    {
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 5, 1)), (Period.Tertial(2026, 1).Start, Period.Tertial(2026, 1).End));
        Assert.Equal((new DateOnly(2026, 5, 1), new DateOnly(2026, 9, 1)), (Period.Tertial(2026, 2).Start, Period.Tertial(2026, 2).End));
        Assert.Equal((new DateOnly(2026, 9, 1), new DateOnly(2027, 1, 1)), (Period.Tertial(2026, 3).Start, Period.Tertial(2026, 3).End));
    }

    [Fact]
    public void YearToDateAtTertial_T2_IsJanuaryToAugustAndCumulative()
    {
        var p = Period.YearToDateAtTertial(2026, 2);

        Assert.Equal(new DateOnly(2026, 1, 1), p.Start);
        Assert.Equal(new DateOnly(2026, 9, 1), p.End);
        Assert.Equal(Accumulation.Cumulative, p.Accumulation);
        Assert.Contains("ackumulerat", p.Label, StringComparison.Ordinal);
        Assert.Equal(Accumulation.PerPeriod, Period.Tertial(2026, 2).Accumulation);
        Assert.Contains("endast tertialen", Period.Tertial(2026, 2).Label, StringComparison.Ordinal);
        Assert.StartsWith("VB", Period.YearToDateAtTertial(2026, 3).Label, StringComparison.Ordinal);
        Assert.Equal(p, Period.Tertial(2026, 2).ToYearToDate());
    }

    [Fact]
    public void UtcRange_DaysOfClockChange_Are23And25HoursLong()
    {
        var march = Period.Day(new DateOnly(2026, 3, 29)).UtcRange;
        var october = Period.Day(new DateOnly(2026, 10, 25)).UtcRange;

        Assert.Equal(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero), march.Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero), march.End);
        Assert.Equal(TimeSpan.FromHours(23), march.Length);
        Assert.Equal(new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero), october.Start);
        Assert.Equal(TimeSpan.FromHours(25), october.Length);
    }

    [Fact]
    public void Contains_InstantLateOnOctoberClockChangeDay_BelongsToThatLocalDay()
    {
        var day = Period.Day(new DateOnly(2026, 10, 25));

        Assert.True(day.Contains(new DateTimeOffset(2026, 10, 25, 22, 30, 0, TimeSpan.Zero))); // 23:30 CET
        Assert.False(day.Contains(new DateTimeOffset(2026, 10, 25, 23, 0, 0, TimeSpan.Zero))); // 00:00 next day
        Assert.True(day.Contains(new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero))); // 00:00 CEST
    }

    [Fact]
    public void IsoWeek_Week1Of2026_StartsMonday29December2025()
    {
        var w = Period.IsoWeek(2026, 1);

        Assert.Equal(new DateOnly(2025, 12, 29), w.Start);
        Assert.Equal(w, Period.IsoWeekOf(new DateOnly(2026, 1, 4)));
        Assert.Equal("2026-W01", w.Id);
    }

    [Theory]
    [InlineData("2026")]
    [InlineData("2026-T2")]
    [InlineData("2026-T2-ytd")]
    [InlineData("2026-03")]
    [InlineData("2026-W05")]
    [InlineData("2026-03-15")]
    [InlineData("2026-03-15-ytd")]
    public void Parse_Id_RoundTrips(string id) => Assert.Equal(id, Period.Parse(id).Id);

    [Fact]
    public void Parse_Garbage_ThrowsFormatExceptionListingForms() =>
        Assert.Contains("2026-T2", Assert.Throws<FormatException>(() => Period.Parse("T2/2026")).Message, StringComparison.Ordinal);

    [Fact]
    public void Months_IsoWeekAcrossMonths_SplitsByDays()
    {
        var shares = Period.IsoWeek(2026, 9).Months(); // 23 Feb – 1 Mar 2026

        Assert.Equal(2, shares.Count);
        Assert.Equal(6.0 / 28, shares[0].Share, 9);
        Assert.Equal(1.0 / 31, shares[1].Share, 9);
    }
}

public sealed class PeriodThroughTests
{
    [Fact]
    public void Through_MidMonth_CoversOnlyTheDaysSoFarAndTheirShareOfTheMonth()
    {
        var november = Driftvy.Domain.Periods.Period.Month(2026, 11);

        var soFar = november.Through(new DateOnly(2026, 11, 15));

        Assert.Equal(new DateOnly(2026, 11, 1), soFar.Start);
        Assert.Equal(new DateOnly(2026, 11, 16), soFar.End);
        Assert.Equal(0.5, Assert.Single(soFar.Months()).Share, 9);
        Assert.Equal("2026-11-to-2026-11-15", soFar.Id);
        Assert.Same(november, november.Through(new DateOnly(2026, 12, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => november.Through(new DateOnly(2026, 10, 31)));
    }

    [Fact]
    public void VolumePerFte_MonthToDate_UsesTheFteOfTheDaysSoFar()
    {
        // 15 of 30 days, 10 FTE in the month: 5 FTE-months worked so far; 5 000 invoices → 1 000 per FTE-month.
        var catalog = Driftvy.Domain.Tests.SeedFiles.Catalog;
        var engine = new Driftvy.Domain.Kpis.KpiEngine(catalog, new Driftvy.Domain.Calendar.WorkingCalendar());
        var inputs = new Driftvy.Domain.Kpis.KpiInputs
        {
            Volumes = [new Driftvy.Domain.BackOffice.DailyVolume(new DateOnly(2026, 11, 10), "lr", "supplier_invoice", 5_000)],
            Staffing = [new Driftvy.Domain.BackOffice.MonthlyStaffing(2026, 11, "lr", 10m)],
        };

        var soFar = engine.Evaluate("supplier_invoices_per_fte", Driftvy.Domain.Periods.Period.Month(2026, 11).Through(new DateOnly(2026, 11, 15)), inputs);
        var whole = engine.Evaluate("supplier_invoices_per_fte", Driftvy.Domain.Periods.Period.Month(2026, 11), inputs);

        Assert.Equal(1_000, soFar.Value!.Value, 6);
        Assert.Equal(500, whole.Value!.Value, 6);
    }
}
