using Driftvy.Web.Observability;
using Quartz;

namespace Driftvy.Web.Sources.QueueLog;

/// <summary>
/// Registers the Asterisk connectors: the queue_log reader with, for each of <c>Sources:QueueLog:Files</c>, a Quartz-polled
/// follower, and the AMI live-queue connection (<c>Sources:Ami</c>, off unless enabled).
/// </summary>
internal static class QueueLogServices
{
    public static WebApplicationBuilder AddQueueLog(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<QueueLogOptions>().BindConfiguration(QueueLogOptions.SectionName)
            .Validate(QueueLogOptions.IsValid, QueueLogOptions.ValidationMessage)
            .ValidateOnStart();
        builder.Services.AddSingleton<QueueLogReader>();
        builder.Services.AddOptions<Ami.AmiOptions>().BindConfiguration(Ami.AmiOptions.SectionName)
            .Validate(Ami.AmiOptions.IsValid, Ami.AmiOptions.ValidationMessage)
            .ValidateOnStart();
        builder.Services.AddHostedService<Ami.AmiLiveQueues>();

        var options = builder.Configuration.GetSection(QueueLogOptions.SectionName).Get<QueueLogOptions>() ?? new QueueLogOptions();
        if (options.Files.Count > 0)
        {
            builder.Services.AddQuartz(q =>
            {
                foreach (var file in options.Files)
                {
                    q.ScheduleJob<QueueLogFollowJob>(
                        t => t.WithIdentity($"queue-log-{file.Source}-trigger", "ingestion").StartNow()
                            .WithSimpleSchedule(s => s.WithInterval(options.PollInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                        j => j.WithIdentity($"queue-log-{file.Source}", "ingestion").UsingJobData(QueueLogFollowJob.SourceKey, file.Source).DisallowConcurrentExecution());
                }
            });
        }

        return builder;
    }
}

/// <summary>Quartz adapter: one read of one followed queue_log per firing.</summary>
[DisallowConcurrentExecution]
internal sealed class QueueLogFollowJob(QueueLogReader reader, Microsoft.Extensions.Options.IOptions<QueueLogOptions> options, SourceHealth health, TimeProvider time, ILogger<QueueLogFollowJob> logger) : IJob
{
    public const string SourceKey = "source";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var source = context.MergedJobDataMap.GetString(SourceKey) ?? "";
        var file = options.Value.Files.FirstOrDefault(f => f.Source == source);
        if (file is null)
        {
            return;
        }

        using var span = DriftvyTracing.Poll("queue_log", source);
        try
        {
            var read = await reader.FollowOnceAsync(file, cancellationToken).ConfigureAwait(false);
            span.Polled(read?.Import.Rows ?? 0);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            // Nothing of this read was stored (one transaction); the next firing reads the same lines again.
            health.RecordFailure(source, time.GetUtcNow(), $"queue_log read failed: {ex.Message}");
            span.Failed(ex);
            logger.LogError(ex, "Following queue_log {Source} failed", source);
        }
    }
}
