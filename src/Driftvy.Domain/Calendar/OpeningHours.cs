namespace Driftvy.Domain.Calendar;

/// <summary>One opening interval [Open, Close) on a weekday, Stockholm wall-clock time.</summary>
public sealed record OpeningSpan(DayOfWeek Day, TimeOnly Open, TimeOnly Close);

/// <summary>Weekly opening hours of a queue; by default closed on public holidays and customary days off.</summary>
public sealed class OpeningHours(IReadOnlyList<OpeningSpan> spans, bool closedOnNonWorkingDays)
{
    public IReadOnlyList<OpeningSpan> Spans { get; } = spans;

    public bool ClosedOnNonWorkingDays { get; } = closedOnNonWorkingDays;

    /// <summary>The opening intervals of a given local date (empty when closed all day).</summary>
    public IReadOnlyList<OpeningSpan> On(DateOnly date, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (ClosedOnNonWorkingDays && calendar.Holiday(date) is not null)
        {
            return [];
        }

        return [.. Spans.Where(s => s.Day == date.DayOfWeek).OrderBy(s => s.Open)];
    }

    public bool IsOpen(DateTimeOffset instant, WorkingCalendar calendar)
    {
        var local = StockholmTime.LocalDateTime(instant);
        var date = new DateOnly(local.Year, local.Month, local.Day);
        var time = new TimeOnly(local.Hour, local.Minute, local.Second);
        return On(date, calendar).Any(s => time >= s.Open && time < s.Close);
    }

    /// <summary>Total open time on a local date, in wall-clock terms.</summary>
    public TimeSpan OpenTimeOn(DateOnly date, WorkingCalendar calendar) =>
        On(date, calendar).Aggregate(TimeSpan.Zero, (sum, s) => sum + (s.Close - s.Open));
}
