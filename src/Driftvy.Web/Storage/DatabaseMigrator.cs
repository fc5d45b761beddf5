using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Storage;

/// <summary>Applies pending migrations before anything else starts (switch off with <c>Storage:MigrateOnStartup=false</c>).</summary>
internal sealed class DatabaseMigrator(
    IDbContextFactory<DriftvyDbContext> contexts,
    History.HistoryVerifier history,
    IOptions<StorageOptions> options,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        var tallied = await history.DeriveIfNoneStoredAsync(cancellationToken).ConfigureAwait(false);
        if (tallied > 0)
        {
            logger.LogInformation("Derived the durable contact tallies from {Facts} stored facts", tallied);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
