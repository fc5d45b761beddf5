using Driftvy.Domain.Calendar;

namespace Driftvy.Domain.Tests.Calendar;

public sealed class CalendarTests
{
    private readonly WorkingCalendar _calendar = new();

    [Theory]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2019, 4, 21)]
    public void EasterSunday_KnownYears_MatchesCalendar(int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), SwedishHolidays.EasterSunday(year));

    [Theory]
    [InlineData("2024-03-29")] // långfredagen
    [InlineData("2024-04-01")] // annandag påsk
    [InlineData("2025-04-18")]
    [InlineData("2025-04-21")]
    [InlineData("2026-04-03")]
    [InlineData("2026-04-06")]
    [InlineData("2026-05-14")] // Kristi himmelsfärdsdag
    [InlineData("2024-06-21")] // midsommarafton
    [InlineData("2025-06-20")]
    [InlineData("2026-06-19")]
    [InlineData("2026-12-24")]
    [InlineData("2026-12-31")]
    [InlineData("2026-01-06")]
    [InlineData("2025-06-06")] // nationaldagen on a Friday
    public void IsWorkingDay_HolidayOnWeekday_False(string date) =>
        Assert.False(_calendar.IsWorkingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)), date);

    [Theory]
    [InlineData("2026-04-02")] // skärtorsdagen is a working day
    [InlineData("2026-06-18")]
    [InlineData("2026-06-22")]
    [InlineData("2026-12-23")]
    public void IsWorkingDay_OrdinaryWeekday_True(string date) =>
        Assert.True(_calendar.IsWorkingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)), date);

    [Fact]
    public void ForYear_2026_HasSixteenDaysWithCustomaryOnesMarked()
    {
        var days = SwedishHolidays.ForYear(2026);

        Assert.Equal(16, days.Count);
        Assert.Equal(
            ["Midsommarafton", "Julafton", "Nyårsafton"],
            days.Where(d => d.Kind == HolidayKind.NonWorkingByCustom).Select(d => d.NameSv));
        Assert.Equal(new DateOnly(2026, 6, 20), days.Single(d => d.NameSv == "Midsommardagen").Date);
        Assert.Equal(new DateOnly(2026, 10, 31), days.Single(d => d.NameSv == "Alla helgons dag").Date);
        Assert.Equal(new DateOnly(2026, 5, 24), days.Single(d => d.NameSv == "Pingstdagen").Date);
    }

    [Fact]
    public void DayLength_LastSundaysOfMarchAndOctober_Are23And25Hours()
    {
        Assert.Equal(TimeSpan.FromHours(23), StockholmTime.DayLength(new DateOnly(2026, 3, 29)));
        Assert.Equal(TimeSpan.FromHours(25), StockholmTime.DayLength(new DateOnly(2026, 10, 25)));
        Assert.Equal(TimeSpan.FromHours(23), StockholmTime.DayLength(new DateOnly(2025, 3, 30)));
        Assert.Equal(TimeSpan.FromHours(24), StockholmTime.DayLength(new DateOnly(2026, 3, 28)));
    }

    [Fact]
    public void WorkingDaysElapsed_OverEaster_SkipsGoodFridayAndEasterMonday()
    {
        Assert.Equal(1, _calendar.WorkingDaysElapsed(new DateOnly(2026, 4, 2), new DateOnly(2026, 4, 7)));
        Assert.Equal(0, _calendar.WorkingDaysElapsed(new DateOnly(2026, 4, 2), new DateOnly(2026, 4, 2)));
        Assert.Equal(5, _calendar.WorkingDaysElapsed(new DateOnly(2026, 3, 6), new DateOnly(2026, 3, 13)));
    }

    [Fact]
    public void WorkingDaysInRange_Year2026_Is251()
    {
        // 261 weekdays minus 10 holidays and customary days off that fall on weekdays in 2026.
        Assert.Equal(251, _calendar.WorkingDaysInRange(new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public void IsOpen_KcStockholmOnMidsummerEve_ClosedButOpenTheDayBefore()
    {
        var kc = SeedFiles.Organisation.Queue("kc-stockholm")!;
        var summer = TimeSpan.FromHours(2);

        Assert.False(kc.OpeningHours.IsOpen(new DateTimeOffset(2026, 6, 19, 10, 0, 0, summer), _calendar));
        Assert.True(kc.OpeningHours.IsOpen(new DateTimeOffset(2026, 6, 18, 10, 0, 0, summer), _calendar));
        Assert.False(kc.OpeningHours.IsOpen(new DateTimeOffset(2026, 6, 18, 18, 0, 0, summer), _calendar));
        Assert.False(kc.OpeningHours.IsOpen(new DateTimeOffset(2026, 6, 20, 10, 0, 0, summer), _calendar));
    }

    [Fact]
    public void OpenTimeOn_LonPensionWeekday_IsTwoSpans()
    {
        var lp = SeedFiles.Organisation.Queue("lon-pension")!;

        Assert.Equal(TimeSpan.FromHours(4.5), lp.OpeningHours.OpenTimeOn(new DateOnly(2026, 3, 4), _calendar));
        Assert.Equal(TimeSpan.Zero, lp.OpeningHours.OpenTimeOn(new DateOnly(2026, 4, 3), _calendar));
    }
}
