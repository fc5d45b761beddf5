using System.Collections.Concurrent;

namespace Driftvy.Domain.Calendar;

/// <summary>
/// Working days in Stockholm: Monday to Friday, except public holidays and the days employers give off
/// by custom (midsommarafton, julafton, nyårsafton). Used for lead times and working-day forecasts.
/// </summary>
public sealed class WorkingCalendar
{
    // Per instance, not static: a cache keyed by year, filled lazily and never mutated afterwards.
    private readonly ConcurrentDictionary<int, IReadOnlyDictionary<DateOnly, SwedishHoliday>> _byYear = new();

    public bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && Holiday(date) is null;

    /// <summary>The holiday or customary day off on <paramref name="date"/>, if any.</summary>
    public SwedishHoliday? Holiday(DateOnly date) =>
        HolidaysOf(date.Year).TryGetValue(date, out var h) ? h : null;

    /// <summary>Working days in [<paramref name="fromInclusive"/>, <paramref name="toExclusive"/>).</summary>
    public int WorkingDaysInRange(DateOnly fromInclusive, DateOnly toExclusive)
    {
        var n = 0;
        for (var d = fromInclusive; d < toExclusive; d = d.AddDays(1))
        {
            if (IsWorkingDay(d))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>
    /// Working days elapsed from <paramref name="start"/> to <paramref name="end"/>: the working days after
    /// the start date up to and including the end date. A case opened Friday and closed Monday took 1
    /// working day; opened and closed the same day took 0.
    /// </summary>
    public int WorkingDaysElapsed(DateOnly start, DateOnly end) =>
        end <= start ? 0 : WorkingDaysInRange(start.AddDays(1), end.AddDays(1));

    // Easter (and so the moving holidays) is computed for the Gregorian calendar, from 1583. A date before that is
    // bad data, not history; it counts weekdays only rather than stopping every view that reads it.
    private IReadOnlyDictionary<DateOnly, SwedishHoliday> HolidaysOf(int year) =>
        _byYear.GetOrAdd(year, y => y < SwedishHolidays.FirstYear
            ? new Dictionary<DateOnly, SwedishHoliday>()
            // Two holidays can fall on one date (Whit Sunday on the National Day, when Easter is on 18 April); the
            // day is off either way, and the list is sorted, so the first named is kept.
            : SwedishHolidays.ForYear(y).GroupBy(h => h.Date).ToDictionary(g => g.Key, g => g.First()));
}
