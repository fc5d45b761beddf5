using System.Globalization;
using Driftvy.Domain.Calendar;

namespace Driftvy.Web.Aggregates;

/// <summary>The time resolution of an aggregate bucket.</summary>
public enum Granularity
{
    /// <summary>One UTC minute; feeds the rolling 15- and 60-minute windows. Short-lived.</summary>
    Minute,

    /// <summary>A quarter of an hour (15 min, aligned in UTC, which Stockholm's whole-hour offsets keep local-aligned too).</summary>
    Quarter,

    /// <summary>One local day in Europe/Stockholm (23, 24 or 25 hours).</summary>
    Day,
}

/// <summary>
/// Identifies one aggregate bucket: a queue, a granularity and the UTC instant the bucket starts.
/// A contact is folded into the buckets that contain its <em>offered</em> instant.
/// </summary>
public readonly record struct BucketKey(string Queue, Granularity Granularity, DateTimeOffset Start)
{
    public static BucketKey For(string queue, Granularity granularity, DateTimeOffset instant) => granularity switch
    {
        Granularity.Minute => new(queue, granularity, Floor(instant, TimeSpan.FromMinutes(1))),
        Granularity.Quarter => new(queue, granularity, Floor(instant, TimeSpan.FromMinutes(15))),
        Granularity.Day => new(queue, granularity, StockholmTime.StartOfDayUtc(StockholmTime.LocalDate(instant))),
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, null),
    };

    public static BucketKey ForDay(string queue, DateOnly day) => new(queue, Granularity.Day, StockholmTime.StartOfDayUtc(day));

    /// <summary>A short, sortable label: local date for days (<c>20261122</c>), UTC minute otherwise.</summary>
    public string Label => Granularity == Granularity.Day
        ? StockholmTime.LocalDate(Start).ToString("yyyyMMdd", CultureInfo.InvariantCulture)
        : Start.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    /// <summary>The quarter hours of a local day (92, 96 or 100 of them).</summary>
    public static IEnumerable<BucketKey> QuartersOf(string queue, DateOnly day) =>
        Range(queue, Granularity.Quarter, StockholmTime.StartOfDayUtc(day), StockholmTime.StartOfDayUtc(day.AddDays(1)));

    /// <summary>The consecutive buckets of one granularity covering [from, to).</summary>
    public static IEnumerable<BucketKey> Range(string queue, Granularity granularity, DateTimeOffset from, DateTimeOffset to)
    {
        if (granularity == Granularity.Day)
        {
            for (var d = StockholmTime.LocalDate(from); StockholmTime.StartOfDayUtc(d) < to; d = d.AddDays(1))
            {
                yield return ForDay(queue, d);
            }

            yield break;
        }

        var step = granularity == Granularity.Minute ? TimeSpan.FromMinutes(1) : TimeSpan.FromMinutes(15);
        for (var t = Floor(from, step); t < to; t += step)
        {
            yield return new BucketKey(queue, granularity, t);
        }
    }

    private static DateTimeOffset Floor(DateTimeOffset instant, TimeSpan step)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % step.Ticks), TimeSpan.Zero);
    }
}
