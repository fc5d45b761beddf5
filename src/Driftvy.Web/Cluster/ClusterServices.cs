using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;

namespace Driftvy.Web.Cluster;

/// <summary>Registers what several instances need to share one Redis and one PostgreSQL.</summary>
internal static class ClusterServices
{
    /// <summary>
    /// With Redis configured, SignalR runs on the Redis backplane: whatever one instance sends through
    /// <c>IHubContext</c> (a board's snapshot, alerts, a revoked display) reaches the screens on every instance, so a
    /// change is turned into snapshots once, on the instance that folded it. Without Redis there is one instance.
    /// (Clustered scheduling is switched on inside the Quartz registration: <see cref="ClusterScheduling"/>.)
    /// </summary>
    public static WebApplicationBuilder AddCluster(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.SectionName)
            .Validate(SchedulingOptions.IsValid, "Scheduling: CheckinInterval must be at least 00:00:01, TablePrefix must be set, SourceStatusEvery between 00:00:00.1 and 00:05:00.")
            .ValidateOnStart();
        // Always, not only with Redis: instances sharing one database (and a restarted single instance) read each
        // other's cookies.
        builder.AddSharedKeyRing();
        if (builder.Configuration.GetValue<bool>($"{SchedulingOptions.SectionName}:{nameof(SchedulingOptions.Clustered)}"))
        {
            builder.Services.AddHostedService<SourceStatusExchange>();
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Redis")))
        {
            return builder;
        }

        // The backplane rides on the process's one multiplexer (its channels under Aggregates:KeyPrefix) rather than
        // opening its own from the connection string.
        builder.Services.AddSignalR().AddStackExchangeRedis();
        builder.Services.AddOptions<RedisOptions>().Configure<IServiceProvider>((options, services) =>
            options.ConnectionFactory = _ => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()));
        return builder;
    }
}
