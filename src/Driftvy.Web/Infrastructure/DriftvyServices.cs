using Driftvy.Web.Admin;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Alerts;
using Driftvy.Web.Aggregates.Redis;
using Driftvy.Web.Cluster;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Health;
using Driftvy.Web.History;
using Driftvy.Web.Kpis;
using Driftvy.Web.Observability;
using Driftvy.Web.Privacy;
using Driftvy.Web.Security;
using Driftvy.Web.Reports;
using Driftvy.Web.Sources;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Sources.Simulator;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Steering;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Quartz;

namespace Driftvy.Web.Infrastructure;

/// <summary>Registers Driftvy's services: one extension per concern, called from <c>Program</c>.</summary>
internal static class DriftvyServices
{
    public static WebApplicationBuilder AddDriftvy(this WebApplicationBuilder builder)
    {
        // The composition root is the one place that chooses the machine's clock; tests replace it with their own.
#pragma warning disable RS0030 // banned elsewhere: everything else takes TimeProvider from the container
        builder.Services.AddSingleton(TimeProvider.System);
#pragma warning restore RS0030
        builder.AddObservability();
        builder.AddKpis();
        builder.AddStorage();
        builder.AddAggregates();
        builder.AddTelephony();
        builder.AddDashboard();
        builder.AddIngestion();
        Sources.QueueLog.QueueLogServices.AddQueueLog(builder);
        builder.AddCluster();
        builder.AddReports();
        builder.AddDriftvyHealthChecks();
        builder.AddAlerts();
        builder.AddSecurity();
        builder.AddAdministration();
        builder.Services.AddSingleton<Staffing.QueueStaffingService>();
        // Enums travel as their names ("percent", "higher_is_better"), not numbers, in the HTTP API.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower)));
        return builder;
    }

    private static void AddKpis(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<SeedOptions>>().Value;
            return KpiSetup.Load(ResolveFolder(o.Directory, sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath));
        });
    }

    private static void AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        var postgres = builder.Configuration.GetConnectionString("Postgres");
        var sqlite = builder.Configuration.GetConnectionString("Sqlite");
        var dataDirectory = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>()?.DataDirectory ?? "data";
        builder.Services.AddDbContextFactory<DriftvyDbContext>(options =>
        {
            if (!string.IsNullOrWhiteSpace(postgres))
            {
                options.UseNpgsql(postgres);
            }
            else
            {
                options.UseSqlite(string.IsNullOrWhiteSpace(sqlite) ? DefaultSqlite(builder.Environment.ContentRootPath, dataDirectory) : sqlite);
            }

            // Migrations are hand-written (no design-time package here), so there is no model snapshot to compare.
            options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        });
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.SectionName);
        builder.Services.AddSingleton<CallerIdentity>();
        builder.AddRetention();
        builder.AddHistoryRetention();
        builder.Services.AddSingleton<ContactQuarantine>();
        builder.Services.AddSingleton<IContactFactStore, ContactFactStore>();
        builder.Services.AddSingleton<IContactHistory, ContactHistory>();
        builder.Services.AddSingleton<HistoryVerifier>();
        // The steering view and the reports read the imported back-office facts from the same tables.
        builder.Services.AddSingleton<BackOfficeStore>();
        builder.Services.AddSingleton<Steering.IBackOfficeFacts>(sp => sp.GetRequiredService<BackOfficeStore>());
        builder.Services.AddSingleton<Reports.IBackOfficeRecords>(sp => sp.GetRequiredService<BackOfficeStore>());
        builder.Services.AddHostedService<DatabaseMigrator>();
    }

    private static string DefaultSqlite(string contentRoot, string dataDirectory)
    {
        var folder = Path.IsPathRooted(dataDirectory) ? dataDirectory : Path.Combine(contentRoot, dataDirectory);
        Directory.CreateDirectory(folder);
        return $"Data Source={Path.Combine(folder, "driftvy.db")};Default Timeout=30";
    }

    private static void AddAggregates(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AggregateOptions>().BindConfiguration(AggregateOptions.SectionName)
            .Validate(AggregateOptions.IsValid, "Aggregates: retentions must cover the windows shown (minutes ≥ 2 h, quarters ≥ 1 day, days ≥ 31 days) and KeyPrefix must be set.")
            .ValidateOnStart();
        var redis = builder.Configuration.GetConnectionString("Redis");
        if (!string.IsNullOrWhiteSpace(redis))
        {
            // One multiplexer per process, disposed with the host.
            builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
                RedisMultiplexer.Connect(redis, sp.GetRequiredService<IOptions<AggregateOptions>>().Value));
            builder.Services.AddSingleton<IAggregateStore, RedisAggregateStore>();
        }
        else
        {
            builder.Services.AddSingleton<IAggregateStore, InProcessAggregateStore>();
        }

        builder.Services.AddSingleton<AggregateStatus>();
        builder.Services.AddSingleton<AggregateCatchUp>();
        builder.Services.AddHostedService<AggregateStartup>();
    }

    private static void AddTelephony(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelephonyOptions>().BindConfiguration(TelephonyOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(TelephonyOptions.IsValid, "Sources:Telephony:PollInterval must be between 00:00:00.1 and 01:00:00.")
            .ValidateOnStart();
        builder.Services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName)
            .Validate(SimulatorOptions.IsValid, "Sources:Simulator: every queue needs a unique Id, PeakCallsPerHour > 0, Agents > 0, MeanHandleTime and MeanPatience > 0, OpensAt < ClosesAt; Tick between 0 and 1 minute; HistoryMonths between 0 and 36; BackOfficeEvery between 00:00:01 and 01:00:00.")
            .ValidateOnStart();
        builder.Services.AddOptions<SourceCadenceOptions>().BindConfiguration(SourceCadenceOptions.SectionName)
            .Validate(SourceCadenceOptions.IsValid, "Sources:Cadence: every limit must lie between 00:00:00 (not watched) and 31.00:00:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SourceHealth>();
        builder.Services.AddSingleton<SourceCadence>();
        builder.Services.AddSingleton<ContactCentreSimulator>();
        builder.Services.AddSingleton<DemoHistory>();
        builder.Services.AddHostedService<DemoHistoryService>();
        builder.Services.AddSingleton<BackOfficeSimulation>();
        builder.Services.AddSingleton<ITelephonySource>(sp => sp.GetRequiredService<ContactCentreSimulator>());
        builder.Services.AddSingleton<TelephonyPollService>();

        var telephony = builder.Configuration.GetSection(TelephonyOptions.SectionName).Get<TelephonyOptions>() ?? new TelephonyOptions();
        var interval = telephony.PollInterval;
        builder.Services.AddQuartz(q =>
        {
            q.UseDriftvyScheduling(builder.Configuration);
            if (!telephony.Enabled)
            {
                return;
            }

            q.ScheduleJob<TelephonyPollJob>(
                trigger => trigger
                    .WithIdentity("telephony-poll-trigger", "sources")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                job => job.WithIdentity(TelephonyPollJob.Key).DisallowConcurrentExecution());

            // The demo back office's day moves through the same import as a polled case or finance system.
            var simulator = builder.Configuration.GetSection(SimulatorOptions.SectionName).Get<SimulatorOptions>() ?? new SimulatorOptions();
            if (simulator.Mode == SimulatorMode.Demo && simulator.HistoryMonths > 0)
            {
                q.ScheduleJob<BackOfficeSimulationJob>(
                    trigger => trigger
                        .WithIdentity("back-office-simulation-trigger", "sources")
                        .StartNow()
                        .WithSimpleSchedule(s => s.WithInterval(simulator.BackOfficeEvery).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                    job => job.WithIdentity(BackOfficeSimulationJob.Key).DisallowConcurrentExecution());
            }
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }

    private static void AddDashboard(this WebApplicationBuilder builder)
    {
        builder.AddDashboardServices(ResolveFolder);
        builder.AddSteeringServices();
    }

    /// <summary>A relative file resolves like a folder (content root, app folder, repository root).</summary>
    internal static string ResolveFile(string file, string contentRoot)
    {
        if (Path.IsPathRooted(file))
        {
            return file;
        }

        var folder = ResolveFolder(Path.GetDirectoryName(file) ?? ".", contentRoot);
        return Path.Combine(folder, Path.GetFileName(file));
    }

    /// <summary>A relative folder resolves against the content root, then the app folder, then the repository root.</summary>
    internal static string ResolveFolder(string folder, string contentRoot)
    {
        if (Path.IsPathRooted(folder))
        {
            return folder;
        }

        string[] candidates =
        [
            Path.Combine(contentRoot, folder),
            Path.Combine(AppContext.BaseDirectory, folder),
            Path.Combine(contentRoot, "..", "..", folder),
        ];
        return candidates.FirstOrDefault(Directory.Exists) ?? candidates[0];
    }
}
