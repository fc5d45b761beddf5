namespace Driftvy.Domain.Calendar;

/// <summary>Whether a day off is a public holiday by law or a day employers give off by custom.</summary>
public enum HolidayKind
{
    /// <summary>Allmän helgdag under the public holidays act.</summary>
    PublicHoliday,

    /// <summary>
    /// Not a public holiday by law, but treated as non-working by Swedish employers and collective
    /// agreements (midsommarafton, julafton, nyårsafton). Driftvy counts these as non-working days.
    /// </summary>
    NonWorkingByCustom,
}

public sealed record SwedishHoliday(DateOnly Date, string NameSv, string NameEn, HolidayKind Kind);

/// <summary>Swedish public holidays and customary days off, computed for any Gregorian year.</summary>
public static class SwedishHolidays
{
    /// <summary>The first year the Gregorian computus (and so this calendar) applies to.</summary>
    public const int FirstYear = 1583;

    /// <summary>Easter Sunday by the anonymous Gregorian computus.</summary>
    public static DateOnly EasterSunday(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, FirstYear);
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>All holidays and customary days off of <paramref name="year"/>, in date order.</summary>
    public static IReadOnlyList<SwedishHoliday> ForYear(int year)
    {
        var easter = EasterSunday(year);
        var list = new List<SwedishHoliday>
        {
            Public(new DateOnly(year, 1, 1), "Nyårsdagen", "New Year's Day"),
            Public(new DateOnly(year, 1, 6), "Trettondedag jul", "Epiphany"),
            Public(easter.AddDays(-2), "Långfredagen", "Good Friday"),
            Public(easter, "Påskdagen", "Easter Sunday"),
            Public(easter.AddDays(1), "Annandag påsk", "Easter Monday"),
            Public(new DateOnly(year, 5, 1), "Första maj", "May Day"),
            Public(easter.AddDays(39), "Kristi himmelsfärdsdag", "Ascension Day"),
            Public(easter.AddDays(49), "Pingstdagen", "Whit Sunday"),
            Public(new DateOnly(year, 6, 6), "Sveriges nationaldag", "National Day of Sweden"),
            Custom(FirstOnOrAfter(new DateOnly(year, 6, 19), DayOfWeek.Friday), "Midsommarafton", "Midsummer Eve"),
            Public(FirstOnOrAfter(new DateOnly(year, 6, 20), DayOfWeek.Saturday), "Midsommardagen", "Midsummer Day"),
            Public(FirstOnOrAfter(new DateOnly(year, 10, 31), DayOfWeek.Saturday), "Alla helgons dag", "All Saints' Day"),
            Custom(new DateOnly(year, 12, 24), "Julafton", "Christmas Eve"),
            Public(new DateOnly(year, 12, 25), "Juldagen", "Christmas Day"),
            Public(new DateOnly(year, 12, 26), "Annandag jul", "Boxing Day"),
            Custom(new DateOnly(year, 12, 31), "Nyårsafton", "New Year's Eve"),
        };
        list.Sort((x, y) => x.Date.CompareTo(y.Date));
        return list;
    }

    private static DateOnly FirstOnOrAfter(DateOnly date, DayOfWeek day) =>
        date.AddDays(((int)day - (int)date.DayOfWeek + 7) % 7);

    private static SwedishHoliday Public(DateOnly d, string sv, string en) => new(d, sv, en, HolidayKind.PublicHoliday);

    private static SwedishHoliday Custom(DateOnly d, string sv, string en) => new(d, sv, en, HolidayKind.NonWorkingByCustom);
}
