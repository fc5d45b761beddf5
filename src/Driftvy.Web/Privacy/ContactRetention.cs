using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Driftvy.Web.Infrastructure;

namespace Driftvy.Web.Privacy;

/// <summary>Retention of raw contact facts. Section <c>Privacy</c>.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Privacy";

    /// <summary>
    /// Raw contacts (with their caller hashes and masks) older than this are deleted; the aggregates built
    /// from them are kept: the durable tallies (reports, history) and the hot store, which refills today only.
    /// At least two days, so that today and the last hour can always be refolded.
    /// </summary>
    public TimeSpan ContactRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How often the pruning runs.</summary>
    public TimeSpan PruneEvery { get; set; } = TimeSpan.FromHours(6);
}

/// <summary>Deletes raw contact facts past their retention, in bounded batches; aggregates are not touched.</summary>
public sealed class ContactPruner(
    IDbContextFactory<DriftvyDbContext> contexts, IOptions<RetentionOptions> options, TimeProvider time, ILogger<ContactPruner> logger)
{
    private const int BatchSize = 50_000;

    /// <summary>Deletes what is past retention; returns how many contacts were deleted.</summary>
    public async Task<long> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = (time.GetUtcNow() - options.Value.ContactRetention).ToUnixTimeMilliseconds();
        long deleted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            // Oldest sequence numbers first, a batch at a time, so a large backlog never holds a long lock.
            var ids = await db.Contacts.Where(c => c.OfferedAtMs < cutoff).OrderBy(c => c.Seq).Select(c => c.Seq)
                .Take(BatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (ids.Count == 0)
            {
                break;
            }

            deleted += await db.Contacts.Where(c => ids.Contains(c.Seq)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (deleted > 0)
        {
            logger.LogInformation("Pruned {Count} contact facts older than {Retention}", deleted, options.Value.ContactRetention);
        }

        return deleted;
    }
}

/// <summary>Runs the pruning on a timer.</summary>
internal sealed class ContactPruneTimer(ContactPruner pruner, IOptions<RetentionOptions> options, TimeProvider time, ILogger<ContactPruneTimer> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Periodic.RunAsync(
        options.Value.PruneEvery, time, pruner.PruneOnceAsync, ex => logger.LogError(ex, "Pruning contact facts failed"), stoppingToken);
}

internal static class RetentionSetup
{
    public static void AddRetention(this WebApplicationBuilder builder) =>
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName)
            .Validate(
                o => o.PruneEvery >= TimeSpan.FromMinutes(1) && o.ContactRetention >= TimeSpan.FromDays(2),
                "Privacy:ContactRetention must be at least 2.00:00:00 (today and the last hour are refolded from the facts), and Privacy:PruneEvery at least 00:01:00.")
            .ValidateOnStart()
            .Services.AddSingleton<ContactPruner>().AddHostedService<ContactPruneTimer>();
}
