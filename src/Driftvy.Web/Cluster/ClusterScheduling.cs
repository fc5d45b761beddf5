using Quartz;

namespace Driftvy.Web.Cluster;

/// <summary>
/// Clustered Quartz: every instance shares one schedule in PostgreSQL, and Quartz's row locks make each
/// firing run on exactly one instance. The tables are created at start-up when missing (Quartz's own
/// PostgreSQL schema, embedded in Quartz.dll), so a new database needs no manual step.
/// </summary>
internal static class ClusterScheduling
{
    public const string SchedulerName = "driftvy";

    /// <summary>Switches the schedule to the clustered PostgreSQL store when <c>Scheduling:Clustered</c> is on.</summary>
    public static void UseDriftvyScheduling(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        var options = configuration.GetSection(SchedulingOptions.SectionName).Get<SchedulingOptions>() ?? new SchedulingOptions();
        if (!options.Clustered)
        {
            return;
        }

        if (!SchedulingOptions.IsValid(options))
        {
            throw new InvalidOperationException("Scheduling: CheckinInterval must be at least 00:00:01 and TablePrefix must be set.");
        }

        var postgres = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(postgres))
        {
            throw new InvalidOperationException("Scheduling:Clustered=true needs ConnectionStrings:Postgres (the instances share their schedule there).");
        }

        // Every instance carries the same scheduler name; clustering gives each a generated unique id.
        quartz.ConfigureScheduler(o => o.InstanceName = SchedulerName);
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(postgres);
            store.UseSystemTextJsonSerializer();
            store.ConfigureStore(o => o.TablePrefix = options.TablePrefix);
            store.ProvisionSchema();
            store.UseClustering(c => c.CheckinInterval = options.CheckinInterval);
        });
    }
}
