using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Periods;

namespace Driftvy.Domain.Kpis;

/// <summary>
/// A computed KPI value with its provenance: which KPI version and formula produced it, and the numerator
/// and denominator it came from. <see cref="Value"/> is null, with <see cref="NoValueReason"/>, when the
/// period has nothing to measure; an empty period is never shown as 0 %. Percentages are 0–100; values are
/// unrounded (round only for display).
/// </summary>
public sealed record KpiValue
{
    public required string KpiId { get; init; }

    /// <summary>The version used; 0 when no version was in force.</summary>
    public required int Version { get; init; }

    public required Period Period { get; init; }

    public required double? Value { get; init; }

    public double? Numerator { get; init; }

    public double? Denominator { get; init; }

    public string? NoValueReason { get; init; }

    /// <summary>Why there is no value, where a caller may act on it (the reason itself is words for people).</summary>
    public NoValueCause? NoValueCause { get; init; }

    public required KpiUnit Unit { get; init; }

    public required string FormulaEn { get; init; }

    public required string FormulaSv { get; init; }

    /// <summary>The queues or teams the value covers.</summary>
    public required IReadOnlyList<string> Scope { get; init; }

    public Channel? Channel { get; init; }

    /// <summary>Items left out of both sides (e.g. answered contacts without an FCR flag).</summary>
    public long? LeftOut { get; init; }

    public string? LeftOutNote { get; init; }

    public bool HasValue => Value is not null;

    /// <summary>Per period or accumulated from 1 January, so every report can say which.</summary>
    public Accumulation Accumulation => Period.Accumulation;

    /// <summary>"id vN: formula" — what produced this number.</summary>
    public string Provenance => $"{KpiId} v{Version}: {FormulaEn}";
}

/// <summary>Causes of a missing value that callers tell apart.</summary>
public enum NoValueCause
{
    /// <summary>The period's tallies hold no contact for the KPI's queues.</summary>
    NoContacts,
}

/// <summary>A value entered by hand or imported (surveys, NKI, sick leave, finance figures).</summary>
public sealed record EnteredValue(string KpiId, string PeriodId, double Value, string Source);

/// <summary>
/// Everything the engine may need for a period. Contact tallies are taken as already covering the period
/// (the aggregate stores select the buckets); records are filtered by the period here.
/// </summary>
public sealed record KpiInputs
{
    public IReadOnlyList<QueueTally> Contacts { get; init; } = [];

    public IReadOnlyList<CaseRecord> Cases { get; init; } = [];

    public IReadOnlyList<DailyVolume> Volumes { get; init; } = [];

    public IReadOnlyList<MonthlyStaffing> Staffing { get; init; } = [];

    public IReadOnlyList<EnteredValue> Entered { get; init; } = [];
}

/// <summary>Narrows a KPI to some of its queues (and one channel) or some of its teams; null means the whole population.</summary>
public sealed record KpiScope(IReadOnlyList<string>? Queues = null, Channel? Channel = null, IReadOnlyList<string>? Teams = null);
