using System.Globalization;
using System.Text.Json;
using Driftvy.Domain.Organisation;
using Driftvy.Domain.Periods;

namespace Driftvy.Domain.Kpis;

/// <summary>
/// The declarative, versioned KPI catalogue loaded from <c>seed/kpis.json</c>. A period is computed with the
/// version in force on its first day; every description and value says which version and formula it used.
/// </summary>
public sealed class KpiCatalog
{
    private readonly Dictionary<string, KpiDefinition> _byId;

    private KpiCatalog(IReadOnlyList<KpiDefinition> kpis)
    {
        Kpis = kpis;
        _byId = kpis.ToDictionary(k => k.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<KpiDefinition> Kpis { get; }

    public bool Contains(string kpiId) => _byId.ContainsKey(kpiId);

    public KpiDefinition Get(string kpiId) =>
        _byId.TryGetValue(kpiId, out var d) ? d : throw new KeyNotFoundException($"The catalogue has no KPI '{kpiId}'.");

    /// <summary>The version of <paramref name="kpiId"/> in force on <paramref name="date"/>, or null before its first version.</summary>
    public KpiVersion? VersionOn(string kpiId, DateOnly date) => Get(kpiId).VersionOn(date);

    /// <summary>Every version of every KPI, with its formula in Swedish and English and its parameters.</summary>
    public IReadOnlyList<KpiDescription> Describe() => [.. Kpis.SelectMany(k => k.Versions).Select(Describe)];

    /// <summary>The versions in force on <paramref name="date"/> only.</summary>
    public IReadOnlyList<KpiDescription> Describe(DateOnly date) =>
        [.. Kpis.Select(k => k.VersionOn(date)).OfType<KpiVersion>().Select(Describe)];

    public static KpiDescription Describe(KpiVersion v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new KpiDescription(
            v.KpiId, v.Version, v.EffectiveFrom, v.EffectiveTo, v.NameSv, v.NameEn, v.Unit, v.Direction, v.Kind,
            v.FormulaSv, v.FormulaEn, ParameterWords(v.Parameters),
            v.QueueParameters.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, string>)ParameterWords(kv.Value), StringComparer.Ordinal),
            v.Population, v.DefaultAccumulation, v.TargetDerivation, v.BasisNote, v.Source);
    }

    /// <summary>
    /// Parses and validates a catalogue. With <paramref name="organisation"/> given, queue and team ids must exist in it.
    /// Errors are <see cref="CatalogValidationException"/>s naming the file and the JSON path of the field.
    /// </summary>
    public static KpiCatalog Parse(string json, string source = "kpis.json", OrganisationCatalog? organisation = null)
    {
        var doc = SeedJson.Deserialize<CatalogDocument>(json, source);
        if (doc.SchemaVersion != 1)
        {
            throw SeedJson.Error(source, "$.schema_version", $"unsupported schema version {doc.SchemaVersion}; expected 1");
        }

        var kpis = new List<KpiDefinition>();
        for (var i = 0; i < doc.Kpis.Count; i++)
        {
            var k = doc.Kpis[i];
            var path = $"$.kpis[{i}]";
            if (string.IsNullOrWhiteSpace(k.Id) || k.Id.Any(char.IsWhiteSpace))
            {
                throw SeedJson.Error(source, path + ".id", "an id must be non-empty and contain no spaces");
            }

            if (kpis.Any(x => x.Id == k.Id))
            {
                throw SeedJson.Error(source, path + ".id", $"KPI '{k.Id}' is declared twice");
            }

            if (k.Versions.Count == 0)
            {
                throw SeedJson.Error(source, path + ".versions", $"KPI '{k.Id}' has no versions");
            }

            var versions = new List<KpiVersion>();
            for (var j = 0; j < k.Versions.Count; j++)
            {
                var vd = k.Versions[j];
                var vp = $"{path}.versions[{j}]";
                if (j > 0 && vd.Version <= k.Versions[j - 1].Version)
                {
                    throw SeedJson.Error(source, vp + ".version", $"versions of '{k.Id}' must be listed in increasing order");
                }

                if (j > 0 && vd.EffectiveFrom <= k.Versions[j - 1].EffectiveFrom)
                {
                    throw SeedJson.Error(source, vp + ".effective_from", $"effective_from of '{k.Id}' v{vd.Version} must be later than the previous version's");
                }

                if (vd.Version < 1)
                {
                    throw SeedJson.Error(source, vp + ".version", "versions start at 1");
                }

                versions.Add(BuildVersion(k.Id, vd, j + 1 < k.Versions.Count ? k.Versions[j + 1].EffectiveFrom : null, source, vp, organisation));
            }

            kpis.Add(new KpiDefinition(k.Id, versions));
        }

        return new KpiCatalog(kpis);
    }

    private static KpiVersion BuildVersion(
        string id, VersionDocument vd, DateOnly? effectiveTo, string source, string vp, OrganisationCatalog? organisation)
    {
        if (string.IsNullOrWhiteSpace(vd.NameSv))
        {
            throw SeedJson.Error(source, vp + ".name_sv", "a Swedish name is required");
        }

        if (string.IsNullOrWhiteSpace(vd.NameEn))
        {
            throw SeedJson.Error(source, vp + ".name_en", "an English name is required");
        }

        var kind = vd.Formula.Kind;
        var expectedUnit = ExpectedUnit(kind);
        if (expectedUnit is { } u && u != vd.Unit)
        {
            throw SeedJson.Error(source, vp + ".unit", $"formula kind {Snake(kind)} gives {Snake(u)}, not {Snake(vd.Unit)}");
        }

        var p = WithDefaults(kind, vd.Formula.Parameters ?? new FormulaParameters());
        CheckParameters(kind, p, source, vp + ".formula.parameters");

        var queues = vd.Population.Queues ?? [];
        var teams = vd.Population.Teams ?? [];
        var pp = vp + ".population";
        if (IsContactKind(kind) && (queues.Count == 0 || teams.Count > 0))
        {
            throw SeedJson.Error(source, pp + ".queues", $"a contact-centre formula ({Snake(kind)}) applies to one or more queues and no teams");
        }

        if (IsBackOfficeKind(kind) && (teams.Count == 0 || queues.Count > 0))
        {
            throw SeedJson.Error(source, pp + ".teams", $"a back-office formula ({Snake(kind)}) applies to one or more teams and no queues");
        }

        if (organisation is not null)
        {
            for (var i = 0; i < queues.Count; i++)
            {
                if (organisation.Queue(queues[i]) is null)
                {
                    throw SeedJson.Error(source, $"{pp}.queues[{i}]", $"unknown queue '{queues[i]}'");
                }
            }

            for (var i = 0; i < teams.Count; i++)
            {
                if (organisation.Team(teams[i]) is null)
                {
                    throw SeedJson.Error(source, $"{pp}.teams[{i}]", $"unknown team '{teams[i]}'");
                }
            }
        }

        var queueParameters = new Dictionary<string, FormulaParameters>(StringComparer.Ordinal);
        foreach (var (queue, overrides) in vd.Formula.QueueParameters ?? new Dictionary<string, FormulaParameters>())
        {
            var qp = $"{vp}.formula.queue_parameters.{queue}";
            if (!queues.Contains(queue))
            {
                throw SeedJson.Error(source, qp, $"queue '{queue}' is not in the population of '{id}'");
            }

            CheckParameters(kind, p.With(overrides), source, qp);
            queueParameters[queue] = overrides;
        }

        return new KpiVersion
        {
            KpiId = id,
            Version = vd.Version,
            EffectiveFrom = vd.EffectiveFrom,
            EffectiveTo = effectiveTo,
            NameSv = vd.NameSv,
            NameEn = vd.NameEn,
            Unit = vd.Unit,
            Direction = vd.Direction,
            Kind = kind,
            Parameters = p,
            QueueParameters = queueParameters,
            Population = new Population(queues, teams, vd.Population.Area),
            DefaultAccumulation = vd.DefaultAccumulation ?? Accumulation.PerPeriod,
            TargetDerivation = vd.TargetDerivation ?? (vd.Unit == KpiUnit.Count ? TargetDerivation.ProRata : TargetDerivation.SameRatio),
            BasisNote = vd.BasisNote,
            Source = vd.Source,
        };
    }

    internal static bool IsContactKind(FormulaKind k) => k is FormulaKind.ServiceLevel or FormulaKind.AnswerRate
        or FormulaKind.AbandonmentRate or FormulaKind.Asa or FormulaKind.Aht or FormulaKind.WaitPercentile
        or FormulaKind.FirstContactResolution;

    internal static bool IsBackOfficeKind(FormulaKind k) => k is FormulaKind.VolumePerFte or FormulaKind.Volume
        or FormulaKind.VolumeRatio or FormulaKind.Backlog or FormulaKind.LeadTime or FormulaKind.WithinPromisedShare;

    private static KpiUnit? ExpectedUnit(FormulaKind k) => k switch
    {
        FormulaKind.ServiceLevel or FormulaKind.AnswerRate or FormulaKind.AbandonmentRate or FormulaKind.FirstContactResolution
            or FormulaKind.VolumeRatio or FormulaKind.WithinPromisedShare => KpiUnit.Percent,
        FormulaKind.Asa or FormulaKind.Aht or FormulaKind.WaitPercentile => KpiUnit.Seconds,
        FormulaKind.VolumePerFte => KpiUnit.CountPerFte,
        FormulaKind.Volume or FormulaKind.Backlog => KpiUnit.Count,
        FormulaKind.LeadTime => KpiUnit.Days,
        _ => null,
    };

    // Defaults from the issue: short-abandon threshold 5 s, variant abandons_fail_excl_short.
    private static FormulaParameters WithDefaults(FormulaKind kind, FormulaParameters p) => kind switch
    {
        FormulaKind.ServiceLevel => p with
        {
            ShortAbandonSeconds = p.ShortAbandonSeconds ?? 5,
            Variant = p.Variant ?? ServiceLevelVariant.AbandonsFailExclShort,
        },
        FormulaKind.AnswerRate or FormulaKind.AbandonmentRate => p with { ShortAbandonSeconds = p.ShortAbandonSeconds ?? 5 },
        FormulaKind.LeadTime or FormulaKind.WithinPromisedShare => p with { DayBasis = p.DayBasis ?? DayBasis.WorkingDays },
        _ => p,
    };

    private static void CheckParameters(FormulaKind kind, FormulaParameters p, string source, string path)
    {
        void Require(bool ok, string field, string problem)
        {
            if (!ok)
            {
                throw SeedJson.Error(source, $"{path}.{field}", problem);
            }
        }

        switch (kind)
        {
            case FormulaKind.ServiceLevel:
                Require(p.ThresholdSeconds is > 0, "threshold_seconds", "service level needs a threshold X in whole seconds > 0");
                Require(p.ShortAbandonSeconds is >= 0, "short_abandon_seconds", "must be ≥ 0");
                break;
            case FormulaKind.AnswerRate or FormulaKind.AbandonmentRate:
                Require(p.ShortAbandonSeconds is >= 0, "short_abandon_seconds", "must be ≥ 0");
                break;
            case FormulaKind.WaitPercentile or FormulaKind.LeadTime:
                Require(p.Percentile is > 0 and <= 100, "percentile", "a percentile in (0, 100] is required");
                break;
            case FormulaKind.VolumePerFte:
                Require(!string.IsNullOrWhiteSpace(p.VolumeKind), "volume_kind", "the kind of volume counted is required");
                Require(p.Basis is not null, "basis", "per_fte_month or per_fte_year is required");
                break;
            case FormulaKind.Volume:
                Require(!string.IsNullOrWhiteSpace(p.VolumeKind), "volume_kind", "the kind of volume counted is required");
                break;
            case FormulaKind.VolumeRatio:
                Require(!string.IsNullOrWhiteSpace(p.NumeratorKind), "numerator_kind", "required");
                Require(!string.IsNullOrWhiteSpace(p.DenominatorKind), "denominator_kind", "required");
                break;
            default:
                break;
        }
    }

    private static Dictionary<string, string> ParameterWords(FormulaParameters p)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, object? value)
        {
            if (value is not null)
            {
                d[key] = value is Enum e ? Snake(e) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        Add("threshold_seconds", p.ThresholdSeconds);
        Add("short_abandon_seconds", p.ShortAbandonSeconds);
        Add("variant", p.Variant);
        Add("percentile", p.Percentile);
        Add("volume_kind", p.VolumeKind);
        Add("basis", p.Basis);
        Add("numerator_kind", p.NumeratorKind);
        Add("denominator_kind", p.DenominatorKind);
        Add("case_kind", p.CaseKind);
        Add("day_basis", p.DayBasis);
        return d;
    }

    internal static string Snake(Enum e) => JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString());

    internal sealed record CatalogDocument(int SchemaVersion, IReadOnlyList<KpiDocument> Kpis, string? Notes = null);

    internal sealed record KpiDocument(string Id, IReadOnlyList<VersionDocument> Versions);

    internal sealed record VersionDocument(
        int Version,
        DateOnly EffectiveFrom,
        string NameSv,
        string NameEn,
        KpiUnit Unit,
        KpiDirection Direction,
        FormulaDocument Formula,
        PopulationDocument Population,
        Accumulation? DefaultAccumulation = null,
        TargetDerivation? TargetDerivation = null,
        string? BasisNote = null,
        string? Source = null);

    internal sealed record FormulaDocument(
        FormulaKind Kind,
        FormulaParameters? Parameters = null,
        IReadOnlyDictionary<string, FormulaParameters>? QueueParameters = null);

    internal sealed record PopulationDocument(IReadOnlyList<string>? Queues = null, IReadOnlyList<string>? Teams = null, string? Area = null);
}
