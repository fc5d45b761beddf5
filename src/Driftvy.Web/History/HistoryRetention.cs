using Driftvy.Web.Infrastructure;
using Driftvy.Web.Privacy;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.History;

/// <summary>How long the durable contact tallies are kept. Section <c>History</c>.</summary>
public sealed class HistoryOptions
{
    public const string SectionName = "History";

    /// <summary>
    /// Day and quarter-hour tallies that start longer ago than this are deleted. Null (the default): kept for good. They
    /// hold no personal data; reports of a period whose tallies are gone say where the history starts. When set, at
    /// least <c>Privacy:ContactRetention</c>: a tally never goes before the facts it summarises.
    /// </summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>How often the pruning runs when <see cref="Retention"/> is set.</summary>
    public TimeSpan PruneEvery { get; set; } = TimeSpan.FromHours(6);
}

/// <summary>Deletes durable tallies past <see cref="HistoryOptions.Retention"/>, if one is set.</summary>
public sealed class TallyPruner(IDbContextFactory<DriftvyDbContext> contexts, IOptions<HistoryOptions> options, TallyHistory history, TimeProvider time, ILogger<TallyPruner> logger)
{
    /// <summary>Deletes the tallies past retention; returns how many rows were deleted (0 without a retention).</summary>
    public async Task<long> PruneOnceAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Retention is not { } retention)
        {
            return 0;
        }

        var cutoff = (time.GetUtcNow() - retention).ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await db.ContactTallies.Where(t => t.StartMs < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            history.Forget();
            logger.LogInformation("Pruned {Count} contact tallies older than {Retention}", deleted, retention);
        }

        return deleted;
    }
}

/// <summary>Runs the tally pruning on a timer when a retention is set.</summary>
internal sealed class TallyPruneTimer(TallyPruner pruner, IOptions<HistoryOptions> options, TimeProvider time, ILogger<TallyPruneTimer> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => options.Value.Retention is null
        ? Task.CompletedTask
        : Periodic.RunAsync(options.Value.PruneEvery, time, pruner.PruneOnceAsync, ex => logger.LogError(ex, "Pruning contact tallies failed"), stoppingToken);
}

internal static class HistoryRetentionSetup
{
    public static void AddHistoryRetention(this WebApplicationBuilder builder) =>
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.SectionName)
            .Validate<IOptions<RetentionOptions>>(
                (o, facts) => o.PruneEvery >= TimeSpan.FromMinutes(1) && (o.Retention is not { } r || r >= facts.Value.ContactRetention),
                "History:Retention must be empty (kept for good) or at least Privacy:ContactRetention, and History:PruneEvery at least 00:01:00.")
            .ValidateOnStart()
            .Services.AddSingleton<TallyPruner>().AddHostedService<TallyPruneTimer>();
}
