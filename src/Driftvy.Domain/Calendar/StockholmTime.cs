using NodaTime;

namespace Driftvy.Domain.Calendar;

/// <summary>
/// The Europe/Stockholm clock every KPI period is defined in. Uses NodaTime's embedded tzdb, so a
/// result never depends on the time-zone data of the machine it runs on.
/// </summary>
public static class StockholmTime
{
    public static DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb["Europe/Stockholm"];

    /// <summary>The Stockholm calendar date an instant falls on (a contact belongs to the day it was offered).</summary>
    public static DateOnly LocalDate(DateTimeOffset instant)
    {
        var local = Instant.FromDateTimeOffset(instant).InZone(Zone).Date;
        return new DateOnly(local.Year, local.Month, local.Day);
    }

    /// <summary>Stockholm wall-clock time of an instant.</summary>
    public static LocalDateTime LocalDateTime(DateTimeOffset instant) =>
        Instant.FromDateTimeOffset(instant).InZone(Zone).LocalDateTime;

    /// <summary>
    /// The UTC instant of local midnight at the start of <paramref name="date"/>. AtStartOfDay copes with
    /// zones where midnight itself is skipped; in Stockholm the switch is at 02:00/03:00 so midnight always exists.
    /// </summary>
    public static DateTimeOffset StartOfDayUtc(DateOnly date) =>
        Zone.AtStartOfDay(new LocalDate(date.Year, date.Month, date.Day)).ToInstant().ToDateTimeOffset();

    /// <summary>Length of a local day: 23 h on the last Sunday of March, 25 h on the last Sunday of October.</summary>
    public static TimeSpan DayLength(DateOnly date) => StartOfDayUtc(date.AddDays(1)) - StartOfDayUtc(date);

    /// <summary>
    /// The UTC instant of a Stockholm wall-clock time on <paramref name="date"/>. A time skipped by the spring switch
    /// is taken as the instant just after it; a time repeated in autumn as its first occurrence.
    /// </summary>
    public static DateTimeOffset ToUtc(DateOnly date, TimeOnly time) =>
        Zone.AtLeniently(new LocalDateTime(date.Year, date.Month, date.Day, time.Hour, time.Minute, time.Second)).ToInstant().ToDateTimeOffset();
}
