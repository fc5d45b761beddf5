using Driftvy.Domain.Calendar;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Organisation;
using Driftvy.Domain.Targets;

namespace Driftvy.Domain.Tests;

/// <summary>The shipped seed files, copied next to the test binaries by the project file.</summary>
internal static class SeedFiles
{
    private static readonly Lazy<OrganisationCatalog> LazyOrganisation =
        new(() => OrganisationCatalog.Parse(Read("queues.json"), "queues.json"));

    private static readonly Lazy<KpiCatalog> LazyCatalog =
        new(() => KpiCatalog.Parse(Read("kpis.json"), "kpis.json", LazyOrganisation.Value));

    private static readonly Lazy<TargetSet> LazyTargets =
        new(() => TargetSet.Parse(Read("targets.json"), LazyCatalog.Value, "targets.json"));

    public static OrganisationCatalog Organisation => LazyOrganisation.Value;

    public static KpiCatalog Catalog => LazyCatalog.Value;

    public static TargetSet Targets => LazyTargets.Value;

    public static KpiEngine Engine() => new(Catalog, new WorkingCalendar());

    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed", name));
}
