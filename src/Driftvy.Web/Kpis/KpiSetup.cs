using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Organisation;
using Driftvy.Domain.Periods;
using Driftvy.Domain.Targets;

namespace Driftvy.Web.Kpis;

/// <summary>Where the KPI catalogue, targets and organisation are read from. Section <c>Seed</c>.</summary>
public sealed class SeedOptions
{
    public const string SectionName = "Seed";

    /// <summary>Folder with <c>queues.json</c>, <c>kpis.json</c> and <c>targets.json</c>.</summary>
    public string Directory { get; set; } = "seed";
}

/// <summary>
/// The domain core as the host uses it: organisation, versioned KPI catalogue, targets, calendar and
/// engine, loaded once from the seed folder. A bad seed file stops start-up naming the file and field.
/// </summary>
public sealed class KpiSetup
{
    // Catalogue, targets and engine are swapped together, so a reader never pairs an old catalogue with new targets.
    private volatile Definitions _current;

    public KpiSetup(OrganisationCatalog organisation, KpiCatalog catalog, TargetSet targets)
    {
        Organisation = organisation;
        Calendar = new WorkingCalendar();
        _current = new Definitions(catalog, targets, new KpiEngine(catalog, Calendar));
    }

    public OrganisationCatalog Organisation { get; }

    public KpiCatalog Catalog => _current.Catalog;

    public TargetSet Targets => _current.Targets;

    public WorkingCalendar Calendar { get; }

    public KpiEngine Engine => _current.Engine;

    /// <summary>The seed files' text as loaded, so administrative changes can be laid over them again.</summary>
    public string? SeedKpisJson { get; private init; }

    /// <inheritdoc cref="SeedKpisJson"/>
    public string? SeedTargetsJson { get; private init; }

    public static KpiSetup Load(string folder)
    {
        var organisation = OrganisationCatalog.Parse(File.ReadAllText(Path.Combine(folder, "queues.json")), "queues.json");
        var kpisJson = File.ReadAllText(Path.Combine(folder, "kpis.json"));
        var targetsJson = File.ReadAllText(Path.Combine(folder, "targets.json"));
        var catalog = KpiCatalog.Parse(kpisJson, "kpis.json", organisation);
        var targets = TargetSet.Parse(targetsJson, catalog, "targets.json");
        return new KpiSetup(organisation, catalog, targets) { SeedKpisJson = kpisJson, SeedTargetsJson = targetsJson };
    }

    /// <summary>Puts a new catalogue and target set in force at once (after an administrative change).</summary>
    public void Replace(KpiCatalog catalog, TargetSet targets) =>
        _current = new Definitions(catalog, targets, new KpiEngine(catalog, Calendar));

    private sealed record Definitions(KpiCatalog Catalog, TargetSet Targets, KpiEngine Engine);

    /// <summary>
    /// A contact KPI for one queue over a period whose tally the caller has read, with its target status.
    /// </summary>
    public KpiReading EvaluateQueue(string kpiId, string queue, Period period, ContactTally tally)
    {
        var value = Engine.Evaluate(kpiId, period, new KpiInputs { Contacts = [new QueueTally(queue, null, tally)] }, new KpiScope(Queues: [queue]));
        return WithStatus(value, period);
    }

    /// <summary>The value's status against the target in force for the period's year, if there is one.</summary>
    public KpiReading WithStatus(KpiValue value, Period period)
    {
        var definition = Catalog.Get(value.KpiId);
        var version = definition.VersionOn(period.Start);
        var target = Targets.Find(value.KpiId, period.Start.Year);
        if (target is null || version is null)
        {
            return new KpiReading(value, null);
        }

        var derived = TargetEvaluation.Derive(target, version, period);
        return new KpiReading(value, TargetEvaluation.Evaluate(value, derived, version.Direction));
    }
}

/// <summary>A computed value and, where a target exists, its status against it.</summary>
public sealed record KpiReading(KpiValue Value, TargetStatusResult? Status)
{
    /// <summary>The wire form of the status: <c>on-target</c>, <c>near-target</c> (within tolerance), <c>off-target</c>, <c>no-data</c> or <c>no-target</c>.</summary>
    public string StatusCode => Status?.Status switch
    {
        null => Value.HasValue ? "no-target" : "no-data",
        TargetStatus.OnTarget => "on-target",
        TargetStatus.WithinTolerance => "near-target",
        TargetStatus.OffTarget => "off-target",
        _ => "no-data",
    };
}
