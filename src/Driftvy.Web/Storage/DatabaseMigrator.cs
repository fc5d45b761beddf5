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

        // SQLite creates its file with the process's umask; the facts are the service's alone.
        if (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection { DataSource: { Length: > 0 } file } && file != ":memory:")
        {
            foreach (var part in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
            {
                Infrastructure.OwnerOnlyFiles.Restrict(part);
            }
        }

        var tallied = await history.DeriveIfNoneStoredAsync(cancellationToken).ConfigureAwait(false);
        if (tallied > 0)
        {
            logger.LogInformation("Derived the durable contact tallies from {Facts} stored facts", tallied);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
