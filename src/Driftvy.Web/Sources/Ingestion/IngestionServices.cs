using Driftvy.Web.Sources.Ingestion.Api;
using Quartz;

namespace Driftvy.Web.Sources.Ingestion;

/// <summary>Registers ingestion (import service, drop folder, push API, HTTP pollers, catch-up) and maps its endpoints.</summary>
internal static class IngestionServices
{
    public static WebApplicationBuilder AddIngestion(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.SectionName)
            .Validate(IngestionOptions.IsValid, IngestionOptions.ValidationMessage)
            .ValidateOnStart();
        builder.Services.AddSingleton<IngestPipeline>();
        builder.Services.AddSingleton<ImportService>();
        builder.Services.AddSingleton<ApiKeyService>();
        builder.Services.AddSingleton<Security.IApiKeyValidator>(sp => sp.GetRequiredService<ApiKeyService>());
        builder.Services.AddSingleton<DropFolderService>();
        builder.Services.AddSingleton<FactCatchUpService>();
        builder.Services.AddSingleton<HttpPoller>();
        builder.Services.AddHttpClient(HttpPoller.ClientName, c => c.Timeout = TimeSpan.FromSeconds(30));

        var options = builder.Configuration.GetSection(IngestionOptions.SectionName).Get<IngestionOptions>() ?? new IngestionOptions();
        builder.Services.AddQuartz(q =>
        {
            if (options.DropFolder.Enabled)
            {
                q.ScheduleJob<DropFolderJob>(
                    t => t.WithIdentity("drop-folder-trigger", "ingestion").StartNow()
                        .WithSimpleSchedule(s => s.WithInterval(options.DropFolder.PollInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                    j => j.WithIdentity(DropFolderJob.Key).DisallowConcurrentExecution());
            }

            if (options.CatchUpInterval > TimeSpan.Zero)
            {
                q.ScheduleJob<FactCatchUpJob>(
                    // From the scheduler's start (a fold with nothing new is a no-op), then every interval.
                    t => t.WithIdentity("fact-catch-up-trigger", "ingestion").StartNow()
                        .WithSimpleSchedule(s => s.WithInterval(options.CatchUpInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                    j => j.WithIdentity(FactCatchUpJob.Key).DisallowConcurrentExecution());
            }

            foreach (var poller in options.HttpPollers.Where(p => p.Enabled))
            {
                q.ScheduleJob<HttpPollJob>(
                    t => t.WithIdentity($"http-poll-{poller.Source}-trigger", "ingestion").StartNow()
                        .WithSimpleSchedule(s => s.WithInterval(poller.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                    j => j.WithIdentity($"http-poll-{poller.Source}", "ingestion").UsingJobData(HttpPollJob.SourceKey, poller.Source).DisallowConcurrentExecution());
            }
        });
        return builder;
    }

    public static WebApplication MapIngestion(this WebApplication app)
    {
        app.MapIngestApi();
        return app;
    }
}
