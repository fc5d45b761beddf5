using NodaTime;

namespace Driftvy.Web.Infrastructure;

/// <summary>
/// Local time in Europe/Stockholm from NodaTime's embedded time-zone database, so a period boundary
/// never depends on the host's tzdata. Days start at local midnight; a DST day is 23 or 25 hours long.
/// </summary>
internal static class StockholmTime
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/Stockholm"];

    public static LocalDateTime ToLocal(DateTimeOffset instant) =>
        Instant.FromDateTimeOffset(instant).InZone(Zone).LocalDateTime;

    public static DateOnly LocalDate(DateTimeOffset instant) =>
        ToLocal(instant).Date.ToDateOnly();

    /// <summary>The UTC instant at which <paramref name="day"/> starts in Stockholm.</summary>
    public static DateTimeOffset StartOfDay(DateOnly day) =>
        NodaTime.LocalDate.FromDateOnly(day).AtStartOfDayInZone(Zone).ToDateTimeOffset().ToUniversalTime();

    /// <summary>The instant expressed with Stockholm's offset at that moment (for display and logs).</summary>
    public static DateTimeOffset InStockholm(DateTimeOffset instant) =>
        Instant.FromDateTimeOffset(instant).InZone(Zone).ToDateTimeOffset();
}
