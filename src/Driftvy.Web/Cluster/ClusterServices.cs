using Driftvy.Web.Dashboard;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Driftvy.Web.Cluster;

/// <summary>Registers what several instances need to share one Redis and one PostgreSQL.</summary>
internal static class ClusterServices
{
    /// <summary>
    /// With Redis configured, board updates go through Redis pub/sub so every instance's screens get
    /// them; without Redis there is one instance and it notifies its own screens directly.
    /// (Clustered scheduling is switched on inside the Quartz registration: <see cref="ClusterScheduling"/>.)
    /// </summary>
    public static WebApplicationBuilder AddCluster(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.SectionName)
            .Validate(SchedulingOptions.IsValid, "Scheduling: CheckinInterval must be at least 00:00:01 and TablePrefix must be set.")
            .ValidateOnStart();
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Redis")))
        {
            return builder;
        }

        builder.Services.TryAddSingleton<DashboardNotifier>();
        builder.Services.AddSingleton<BoardUpdateRelay>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IDashboardNotifier>(sp => sp.GetRequiredService<BoardUpdateRelay>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BoardUpdateRelay>());
        return builder;
    }
}
