namespace Driftvy.Web.Aggregates;

/// <summary>Aggregate store settings. Section <c>Aggregates</c>.</summary>
public sealed class AggregateOptions
{
    public const string SectionName = "Aggregates";

    /// <summary>Prefix of every Redis key, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "driftvy:";

    /// <summary>How long minute buckets are kept (rolling windows need the last hour).</summary>
    public TimeSpan MinuteRetention { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long quarter-hour buckets are kept (intraday charts compare with the same weekday of past weeks).</summary>
    public TimeSpan QuarterRetention { get; set; } = TimeSpan.FromDays(70);

    /// <summary>How long day buckets are kept (month- and year-to-date, same period last year).</summary>
    public TimeSpan DayRetention { get; set; } = TimeSpan.FromDays(800);

    /// <summary>
    /// Longest wait for one Redis operation before it counts as failed (the store is then "behind" and
    /// catches up from the facts when Redis answers again).
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often each instance checks the store against the facts: a vanished watermark (Redis flushed,
    /// restarted empty or replaced) starts a rebuild, a store left behind by an outage is caught up.
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetentionOf(Granularity granularity) => granularity switch
    {
        Granularity.Minute => MinuteRetention,
        Granularity.Quarter => QuarterRetention,
        _ => DayRetention,
    };

    internal static bool IsValid(AggregateOptions o) =>
        o.MinuteRetention >= TimeSpan.FromHours(2) && o.QuarterRetention >= TimeSpan.FromDays(1) &&
        o.DayRetention >= TimeSpan.FromDays(31) && !string.IsNullOrEmpty(o.KeyPrefix) &&
        o.OperationTimeout > TimeSpan.Zero && o.CheckInterval >= TimeSpan.FromMilliseconds(100);
}
