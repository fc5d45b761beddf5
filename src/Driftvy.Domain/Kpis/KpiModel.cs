using Driftvy.Domain.Periods;

namespace Driftvy.Domain.Kpis;

public enum KpiUnit
{
    Percent,
    Seconds,
    Count,
    CountPerFte,
    Days,
    Index,
    Score,
}

public enum KpiDirection
{
    HigherIsBetter,
    LowerIsBetter,

    /// <summary>The value should lie inside a band (e.g. budget adherence 100 %, forecast accuracy ±1 %).</summary>
    Band,
}

public enum FormulaKind
{
    ServiceLevel,
    AnswerRate,
    AbandonmentRate,
    Asa,
    Aht,
    WaitPercentile,
    FirstContactResolution,
    VolumePerFte,
    Volume,
    VolumeRatio,
    Backlog,
    LeadTime,
    WithinPromisedShare,

    /// <summary>Entered or imported values (surveys, NKI, sick leave, budget figures): not computed here.</summary>
    Entered,
}

/// <summary>Which contacts count against the service level; the default is <see cref="AbandonsFailExclShort"/>.</summary>
public enum ServiceLevelVariant
{
    /// <summary>answered ≤ X ÷ answered.</summary>
    AnsweredOnly,

    /// <summary>answered ≤ X ÷ (answered + abandoned).</summary>
    AbandonsFail,

    /// <summary>answered ≤ X ÷ (answered + abandoned with wait above the short-abandon threshold).</summary>
    AbandonsFailExclShort,

    /// <summary>(answered or abandoned within X) ÷ offered.</summary>
    RemovedWithin,

    /// <summary>
    /// (answered within X + abandoned within X) ÷ (answered + abandoned): Asterisk's SL2, so a FreePBX queue's figure
    /// agrees with <c>queue show</c>. Contacts still waiting count in neither part. (Asterisk's SL is <see cref="AnsweredOnly"/>.)
    /// </summary>
    AnsweredOrAbandonedWithin,
}

/// <summary>How a per-FTE volume is normalised.</summary>
public enum FteBasis
{
    /// <summary>volume ÷ Σ over the period's months of that month's FTE.</summary>
    PerFteMonth,

    /// <summary>volume ÷ (Σ monthly FTE ÷ 12), i.e. per person-year.</summary>
    PerFteYear,
}

public enum DayBasis
{
    CalendarDays,
    WorkingDays,
}

/// <summary>How an annual target turns into the target of a shorter period.</summary>
public enum TargetDerivation
{
    /// <summary>Rates and shares: the same value for any period.</summary>
    SameRatio,

    /// <summary>Volumes: pro rata by the period's share of the year (optionally by a monthly profile).</summary>
    ProRata,
}

/// <summary>Formula parameters; which ones apply depends on the formula kind. Null means "not used" or "default".</summary>
public sealed record FormulaParameters
{
    public int? ThresholdSeconds { get; init; }

    public int? ShortAbandonSeconds { get; init; }

    public ServiceLevelVariant? Variant { get; init; }

    /// <summary>Percentile 0–100 for wait and lead-time distributions (50 = median).</summary>
    public double? Percentile { get; init; }

    public string? VolumeKind { get; init; }

    public FteBasis? Basis { get; init; }

    public string? NumeratorKind { get; init; }

    public string? DenominatorKind { get; init; }

    public string? CaseKind { get; init; }

    public DayBasis? DayBasis { get; init; }

    /// <summary>These parameters with every non-null value of <paramref name="overrides"/> applied on top.</summary>
    public FormulaParameters With(FormulaParameters? overrides) => overrides is null ? this : new FormulaParameters
    {
        ThresholdSeconds = overrides.ThresholdSeconds ?? ThresholdSeconds,
        ShortAbandonSeconds = overrides.ShortAbandonSeconds ?? ShortAbandonSeconds,
        Variant = overrides.Variant ?? Variant,
        Percentile = overrides.Percentile ?? Percentile,
        VolumeKind = overrides.VolumeKind ?? VolumeKind,
        Basis = overrides.Basis ?? Basis,
        NumeratorKind = overrides.NumeratorKind ?? NumeratorKind,
        DenominatorKind = overrides.DenominatorKind ?? DenominatorKind,
        CaseKind = overrides.CaseKind ?? CaseKind,
        DayBasis = overrides.DayBasis ?? DayBasis,
    };
}

/// <summary>Who a KPI applies to: contact-centre queues or back-office teams, and the organisational area.</summary>
public sealed record Population(IReadOnlyList<string> Queues, IReadOnlyList<string> Teams, string? Area);

/// <summary>One version of a KPI definition, in force from <see cref="EffectiveFrom"/> until the next version.</summary>
public sealed record KpiVersion
{
    public required string KpiId { get; init; }

    public required int Version { get; init; }

    public required DateOnly EffectiveFrom { get; init; }

    /// <summary>First day of the next version (exclusive end), if any.</summary>
    public DateOnly? EffectiveTo { get; init; }

    public required string NameSv { get; init; }

    public required string NameEn { get; init; }

    public required KpiUnit Unit { get; init; }

    public required KpiDirection Direction { get; init; }

    public required FormulaKind Kind { get; init; }

    /// <summary>Parameters with defaults filled in.</summary>
    public required FormulaParameters Parameters { get; init; }

    /// <summary>Per-queue overrides of <see cref="Parameters"/> (e.g. a longer short-abandon threshold for one queue).</summary>
    public required IReadOnlyDictionary<string, FormulaParameters> QueueParameters { get; init; }

    public required Population Population { get; init; }

    /// <summary>Which form a tertial report shows by default; both forms can always be computed.</summary>
    public required Accumulation DefaultAccumulation { get; init; }

    public required TargetDerivation TargetDerivation { get; init; }

    /// <summary>Why the formula reads the plan text the way it does, where the text is ambiguous.</summary>
    public string? BasisNote { get; init; }

    /// <summary>Where the definition comes from (document:line).</summary>
    public string? Source { get; init; }

    public string FormulaSv => FormulaWords.Describe(this, sv: true);

    public string FormulaEn => FormulaWords.Describe(this, sv: false);

    /// <summary>The parameters that apply to one queue.</summary>
    public FormulaParameters ParametersFor(string queue) =>
        Parameters.With(QueueParameters.GetValueOrDefault(queue));

    public bool IsInForceOn(DateOnly date) => date >= EffectiveFrom && (EffectiveTo is null || date < EffectiveTo);
}

/// <summary>A KPI with all its versions, oldest first.</summary>
public sealed record KpiDefinition(string Id, IReadOnlyList<KpiVersion> Versions)
{
    /// <summary>The version in force on <paramref name="date"/>, or null before the first version.</summary>
    public KpiVersion? VersionOn(DateOnly date) => Versions.LastOrDefault(v => v.EffectiveFrom <= date);

    public KpiVersion Latest => Versions[^1];
}

/// <summary>How one KPI version is made, in words a controller can check.</summary>
public sealed record KpiDescription(
    string KpiId,
    int Version,
    DateOnly EffectiveFrom,
    DateOnly? EffectiveTo,
    string NameSv,
    string NameEn,
    KpiUnit Unit,
    KpiDirection Direction,
    FormulaKind FormulaKind,
    string FormulaSv,
    string FormulaEn,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> QueueParameters,
    Population Population,
    Accumulation DefaultAccumulation,
    TargetDerivation TargetDerivation,
    string? BasisNote,
    string? Source);
