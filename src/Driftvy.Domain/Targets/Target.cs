using System.Text.Json.Serialization;
using Driftvy.Domain.Kpis;

namespace Driftvy.Domain.Targets;

/// <summary>How often the plan says a KPI is followed up (the plan tables' "Periodicitet").</summary>
public enum TargetPeriodicity
{
    [JsonStringEnumMemberName("År")]
    Year,

    [JsonStringEnumMemberName("Tertial")]
    Tertial,
}

/// <summary>Where a target figure comes from: a seed document and line, as listed in indicators.csv.</summary>
public sealed record TargetSource(string Document, int Line, string? IndicatorId = null);

/// <summary>
/// An annual target. <see cref="Tolerance"/> is in the KPI's own unit: a value short of the target by at most
/// the tolerance is "within tolerance". Band KPIs carry <see cref="BandLow"/>–<see cref="BandHigh"/>.
/// </summary>
public sealed record Target
{
    public required string KpiId { get; init; }

    public required int Year { get; init; }

    public required double Value { get; init; }

    public double? BandLow { get; init; }

    public double? BandHigh { get; init; }

    public required TargetPeriodicity Periodicity { get; init; }

    public required double Tolerance { get; init; }

    /// <summary>Queue, team or area the target is for; null for the KPI's whole population.</summary>
    public string? Scope { get; init; }

    public required TargetSource Source { get; init; }

    public string? Note { get; init; }
}

/// <summary>The targets of <c>seed/targets.json</c>, validated against the KPI catalogue.</summary>
public sealed class TargetSet
{
    private TargetSet(IReadOnlyList<Target> targets) => Targets = targets;

    public IReadOnlyList<Target> Targets { get; }

    /// <summary>
    /// The target for <paramref name="year"/>, or, when the documents set none that year, the latest earlier one
    /// (carried forward: check <see cref="Target.Year"/> to tell).
    /// </summary>
    public Target? Find(string kpiId, int year, string? scope = null) =>
        Targets.Where(t => t.KpiId == kpiId && t.Year <= year && t.Scope == scope).MaxBy(t => t.Year);

    public static TargetSet Parse(string json, KpiCatalog catalog, string source = "targets.json")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var doc = SeedJson.Deserialize<TargetsDocument>(json, source);
        if (doc.SchemaVersion != 1)
        {
            throw SeedJson.Error(source, "$.schema_version", $"unsupported schema version {doc.SchemaVersion}; expected 1");
        }

        var list = new List<Target>();
        for (var i = 0; i < doc.Targets.Count; i++)
        {
            var t = doc.Targets[i];
            var path = $"$.targets[{i}]";
            if (!catalog.Contains(t.KpiId))
            {
                throw SeedJson.Error(source, path + ".kpi_id", $"unknown KPI '{t.KpiId}'");
            }

            if (t.Year is < 2000 or > 2100)
            {
                throw SeedJson.Error(source, path + ".year", $"{t.Year} is not a plausible plan year");
            }

            if (t.Tolerance < 0 || !double.IsFinite(t.Tolerance))
            {
                throw SeedJson.Error(source, path + ".tolerance", "must be a finite number ≥ 0 in the KPI's unit");
            }

            var version = catalog.Get(t.KpiId).VersionOn(new DateOnly(t.Year, 12, 31)) ?? catalog.Get(t.KpiId).Versions[0];
            var isBand = version.Direction == KpiDirection.Band;
            if (isBand && (t.BandLow is null || t.BandHigh is null))
            {
                throw SeedJson.Error(source, path + ".band_low", $"'{t.KpiId}' is a band KPI: band_low and band_high are required");
            }

            if (!isBand && (t.BandLow is not null || t.BandHigh is not null))
            {
                throw SeedJson.Error(source, path + ".band_low", $"'{t.KpiId}' is not a band KPI: leave band_low and band_high out");
            }

            if (isBand && (t.BandLow > t.Value || t.BandHigh < t.Value))
            {
                throw SeedJson.Error(source, path + ".value", "the value must lie inside [band_low, band_high]");
            }

            if (string.IsNullOrWhiteSpace(t.Source.Document) || t.Source.Line <= 0)
            {
                throw SeedJson.Error(source, path + ".source", "a document and a line > 0 are required");
            }

            if (list.Any(x => x.KpiId == t.KpiId && x.Year == t.Year && x.Scope == t.Scope))
            {
                throw SeedJson.Error(source, path, $"a second target for '{t.KpiId}' {t.Year}");
            }

            list.Add(new Target
            {
                KpiId = t.KpiId,
                Year = t.Year,
                Value = t.Value,
                BandLow = t.BandLow,
                BandHigh = t.BandHigh,
                Periodicity = t.Periodicity,
                Tolerance = t.Tolerance,
                Scope = t.Scope,
                Source = t.Source,
                Note = t.Note,
            });
        }

        return new TargetSet(list);
    }

    internal sealed record TargetsDocument(int SchemaVersion, IReadOnlyList<TargetDocument> Targets, string? Notes = null);

    internal sealed record TargetDocument(
        string KpiId,
        int Year,
        double Value,
        TargetPeriodicity Periodicity,
        double Tolerance,
        TargetSource Source,
        double? BandLow = null,
        double? BandHigh = null,
        string? Scope = null,
        string? Note = null);
}
