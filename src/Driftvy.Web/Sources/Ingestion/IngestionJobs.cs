using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard;
using Quartz;

namespace Driftvy.Web.Sources.Ingestion;

/// <summary>Quartz adapter: one drop-folder scan per firing.</summary>
[DisallowConcurrentExecution]
internal sealed class DropFolderJob(DropFolderService drops, ILogger<DropFolderJob> logger) : IJob
{
    public static readonly JobKey Key = new("drop-folder", "ingestion");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await drops.ScanOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Drop-folder scan failed");
        }
    }
}

/// <summary>Quartz adapter: one poll of one configured HTTP source per firing (skipped while it backs off).</summary>
[DisallowConcurrentExecution]
internal sealed class HttpPollJob(HttpPoller poller, ILogger<HttpPollJob> logger) : IJob
{
    public const string SourceKey = "source";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var source = context.MergedJobDataMap.GetString(SourceKey) ?? "";
        try
        {
            await poller.PollIfDueAsync(source, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            // Recorded in the source's health by the poller; retried at the next firing.
            logger.LogError(ex, "HTTP poll of {Source} failed", source);
        }
    }
}

/// <summary>Quartz adapter: folds facts stored by another process (the command line) into this host's aggregates.</summary>
[DisallowConcurrentExecution]
internal sealed class FactCatchUpJob(FactCatchUpService catchUp, ILogger<FactCatchUpJob> logger) : IJob
{
    public static readonly JobKey Key = new("fact-catch-up", "ingestion");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await catchUp.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Catching up the aggregates with the facts failed; retried at the next firing");
        }
    }
}

/// <summary>Folds facts after the aggregate watermark and, when there were any, refreshes the screens.</summary>
public sealed class FactCatchUpService(AggregateCatchUp catchUp, AggregateStatus status, IDashboardNotifier notifier)
{
    public async Task<long> RunOnceAsync(CancellationToken cancellationToken)
    {
        await status.WhenReady.WaitAsync(cancellationToken).ConfigureAwait(false);
        var folded = await catchUp.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        if (folded > 0)
        {
            await notifier.PublishAllAsync(cancellationToken).ConfigureAwait(false);
        }

        return folded;
    }
}
