using Quartz;

namespace Driftvy.Web.Sources.Telephony;

/// <summary>Quartz adapter: runs one <see cref="TelephonyPollService.PollOnceAsync"/> per firing, never two at once.</summary>
[DisallowConcurrentExecution]
internal sealed class TelephonyPollJob(TelephonyPollService polls, ILogger<TelephonyPollJob> logger) : IJob
{
    public static readonly JobKey Key = new("telephony-poll", "sources");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await polls.PollOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            // A failed poll is recorded in the source's health and retried at the next firing.
            logger.LogError(ex, "Telephony poll failed");
        }
    }
}
