namespace Driftvy.Web.Alerts;

public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>What a rule compares: a live measure, a KPI over a window, or a built-in health signal.</summary>
public enum AlertMeasure
{
    /// <summary>Calls waiting now (live queue snapshot).</summary>
    Waiting,

    /// <summary>Longest current wait in seconds (live queue snapshot).</summary>
    LongestWaitSeconds,

    /// <summary>A KPI of the catalogue over <see cref="AlertRule.Window"/> (value in the KPI's unit).</summary>
    Kpi,

    /// <summary>Seconds since the source last delivered (built in: a silent source).</summary>
    SourceSilentSeconds,

    /// <summary>1 while a store (Redis, database) is unreachable, else 0 (built in).</summary>
    StoreUnreachable,

    /// <summary>Rejected imports in the last window (built in).</summary>
    ImportRejected,

    /// <summary>
    /// The service level (percent) a queue's day is projected to end at if its agents answering now stay as they are
    /// (the staffing need's end-of-day projection). With <see cref="AlertCondition.OffTarget"/>: "projected to miss
    /// today's target". Not measured while the queue snapshot is stale.
    /// </summary>
    ProjectedServiceLevel,
}

public enum AlertCondition
{
    /// <summary>Fires when the value rises above the threshold; clears at or below the clear threshold.</summary>
    Above,

    /// <summary>Fires when the value falls below the threshold; clears at or above the clear threshold.</summary>
    Below,

    /// <summary>Fires when the KPI engine judges the value off target; clears when on target or within tolerance.</summary>
    OffTarget,
}

public enum AlertWindow
{
    Now,
    Today,
    Last15Minutes,
    Last60Minutes,
}

/// <summary>
/// One alert rule as data (<c>seed/alerts.json</c>). A rule fires only after its condition has held for
/// <see cref="For"/>, clears at a different threshold than it fires (hysteresis), and is silent outside
/// its subject's opening hours when <see cref="OnlyWhenOpen"/> is set.
/// </summary>
public sealed record AlertRule
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required AlertMeasure Measure { get; init; }

    /// <summary>Queue the rule watches (or null for team/global rules).</summary>
    public string? Queue { get; init; }

    /// <summary>Team the rule watches (its queues' measures are combined).</summary>
    public string? Team { get; init; }

    /// <summary>Source id for <see cref="AlertMeasure.SourceSilentSeconds"/>.</summary>
    public string? Source { get; init; }

    /// <summary>KPI id for <see cref="AlertMeasure.Kpi"/>.</summary>
    public string? Kpi { get; init; }

    public AlertWindow Window { get; init; } = AlertWindow.Now;

    public required AlertCondition Condition { get; init; }

    public double? Threshold { get; init; }

    /// <summary>Where the alert clears; defaults to the threshold (no hysteresis).</summary>
    public double? ClearThreshold { get; init; }

    /// <summary>How long the condition must hold before the rule fires.</summary>
    public TimeSpan For { get; init; } = TimeSpan.Zero;

    public AlertSeverity Severity { get; init; } = AlertSeverity.Warning;

    /// <summary>Silent outside the queue's opening hours and on non-working days.</summary>
    public bool OnlyWhenOpen { get; init; }

    /// <summary>Remind the channels this often while firing and unacknowledged; null = notify once.</summary>
    public TimeSpan? RenotifyEvery { get; init; }

    /// <summary>A re-fire within this time after resolution reopens the same incident instead of a new one.</summary>
    public TimeSpan RegroupWithin { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Delivery channel ids (see the <c>channels</c> of alerts.json).</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    public double EffectiveClear => ClearThreshold ?? Threshold ?? 0;

    /// <summary>Whether <paramref name="value"/> breaches the fire threshold.</summary>
    public bool Breaches(double value) => Condition switch
    {
        AlertCondition.Above => value > Threshold,
        AlertCondition.Below => value < Threshold,
        _ => false,
    };

    /// <summary>Whether <paramref name="value"/> is back on the safe side of the clear threshold.</summary>
    public bool Clears(double value) => Condition switch
    {
        AlertCondition.Above => value <= EffectiveClear,
        AlertCondition.Below => value >= EffectiveClear,
        _ => true,
    };
}
