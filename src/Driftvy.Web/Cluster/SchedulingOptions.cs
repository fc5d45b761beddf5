namespace Driftvy.Web.Cluster;

/// <summary>Where Quartz keeps its schedule. Section <c>Scheduling</c>.</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>
    /// Run Quartz clustered on PostgreSQL (AdoJobStore), so that with several instances each poll runs on
    /// exactly one of them. Needs <c>ConnectionStrings:Postgres</c>. Off: an in-memory schedule per instance.
    /// </summary>
    public bool Clustered { get; set; }

    /// <summary>How often a clustered instance shares what it saw of each source with the others (see <c>SourceStatusExchange</c>).</summary>
    public TimeSpan SourceStatusEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a clustered instance checks in; a silent instance's jobs are taken over after a few of these.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Prefix of Quartz's tables, created in the facts database when missing.</summary>
    public string TablePrefix { get; set; } = "qrtz_";

    internal static bool IsValid(SchedulingOptions o) =>
        o.CheckinInterval >= TimeSpan.FromSeconds(1) && !string.IsNullOrWhiteSpace(o.TablePrefix) &&
        o.SourceStatusEvery >= TimeSpan.FromMilliseconds(100) && o.SourceStatusEvery <= TimeSpan.FromMinutes(5);
}
