using Driftvy.Domain.Calendar;
using Driftvy.Web.Sources.Telephony;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Sources;

/// <summary>
/// How long each source may stay silent before it counts as stale (health) and raises the built-in "source silent"
/// alert. Section <c>Sources:Cadence</c>. A source's own entry wins over its channel's; zero means "never watched".
/// </summary>
public sealed class SourceCadenceOptions
{
    public const string SectionName = "Sources:Cadence";

    /// <summary>Per channel (<c>push</c>, <c>drop-folder</c>, <c>http-poll</c>, <c>cli</c>, <c>simulator</c>). The telephony poll and HTTP pollers follow their own interval unless set here.</summary>
    public Dictionary<string, TimeSpan> Channels { get; init; } = new(StringComparer.Ordinal)
    {
        // A push or a dropped file is typically a nightly export: silent for a day by design, alarming after a
        // working day and a bit without anything.
        ["push"] = TimeSpan.FromHours(26),
        ["drop-folder"] = TimeSpan.FromHours(26),
        // A person runs the import command when there is something to import; the demo back office is not watched.
        ["cli"] = TimeSpan.Zero,
        ["simulator"] = TimeSpan.Zero,
    };

    /// <summary>Per source id, e.g. <c>Sources:Cadence:Sources:ekonomi-historik = 00:00:00</c> for a one-off history load.</summary>
    public Dictionary<string, TimeSpan> Sources { get; init; } = new(StringComparer.Ordinal);

    internal static bool IsValid(SourceCadenceOptions o) =>
        o.Channels.Values.Concat(o.Sources.Values).All(t => t >= TimeSpan.Zero && t <= TimeSpan.FromDays(31));
}

/// <summary>
/// The one answer to "is this source late?", read by the health report and the alerts alike. Limits of a day or more
/// count working time only (Stockholm working days, Swedish holidays): a nightly finance push is not missed over a
/// weekend; shorter limits count wall-clock time.
/// </summary>
public sealed class SourceCadence(IOptions<SourceCadenceOptions> options, IOptions<TelephonyOptions> telephony)
{
    private readonly WorkingCalendar _calendar = new();

    /// <summary>The longest silence allowed for <paramref name="status"/>; null when the source is not watched.</summary>
    public TimeSpan? SilentAfter(SourceStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var o = options.Value;
        var limit = o.Sources.TryGetValue(status.Source, out var own) ? own
            : o.Channels.TryGetValue(status.Channel, out var channel) ? channel
            : status.StaleAfter ?? (status.Channel == "poll" ? telephony.Value.StaleAfter : TimeSpan.Zero);
        return limit > TimeSpan.Zero ? limit : null;
    }

    /// <summary>How long <paramref name="status"/> has been silent, as its limit counts it; null before its first delivery.</summary>
    public TimeSpan? Silence(SourceStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.LastSuccessAt is not { } last)
        {
            return null;
        }

        return SilentAfter(status) is { } limit && limit >= TimeSpan.FromDays(1) ? WorkingTime(last, now) : now - last;
    }

    /// <summary>
    /// Whether <paramref name="status"/> is watched and has been silent past its limit. Not having delivered since this
    /// start counts as late for a source expected within the day (a poll), not for a nightly one.
    /// </summary>
    public bool IsLate(SourceStatus status, DateTimeOffset now) =>
        SilentAfter(status) is { } limit && (Silence(status, now) is { } silence ? silence > limit : limit < TimeSpan.FromDays(1));

    /// <summary>The part of [<paramref name="from"/>, <paramref name="to"/>) that falls on Stockholm working days.</summary>
    internal TimeSpan WorkingTime(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        var day = StockholmTime.LocalDate(from);
        var last = StockholmTime.LocalDate(to);
        // Bounded: a source silent for more than a year is late whichever way the days are counted.
        for (var n = 0; day <= last && n < 400; day = day.AddDays(1), n++)
        {
            if (!_calendar.IsWorkingDay(day))
            {
                continue;
            }

            var start = StockholmTime.StartOfDayUtc(day);
            var end = StockholmTime.StartOfDayUtc(day.AddDays(1));
            var overlap = (to < end ? to : end) - (from > start ? from : start);
            if (overlap > TimeSpan.Zero)
            {
                total += overlap;
            }
        }

        return total;
    }
}
