using System.Data;
using Driftvy.Web.Infrastructure;
using Driftvy.Web.Sources;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Cluster;

/// <summary>
/// With several instances a source's deliveries land on whichever instance the balancer or the clustered schedule
/// picked, while the alert lease holder judges silence and every instance answers <c>/health</c>. Each instance writes
/// the newest delivery and error it saw per source to <c>source_status</c> (newer wins, in the database) and takes
/// over what the others saw, every <see cref="SchedulingOptions.SourceStatusEvery"/>. Row counters stay per instance.
/// </summary>
internal sealed class SourceStatusExchange(
    IDbContextFactory<DriftvyDbContext> contexts,
    SourceHealth health,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<SourceStatusExchange> logger) : BackgroundService
{
    private readonly Dictionary<string, (DateTimeOffset? Success, DateTimeOffset? Error, DateTimeOffset? Latest)> _written = new(StringComparer.Ordinal);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Periodic.RunAsync(
        options.Value.SourceStatusEvery, time, ExchangeAsync, ex => logger.LogWarning("Source status not exchanged with the other instances: {Error}", ex.Message), stoppingToken);

    /// <summary>Writes what changed here since the last exchange, then reads what every instance saw.</summary>
    internal async Task ExchangeAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var changed = health.All()
            .Where(s => !_written.TryGetValue(s.Source, out var w) || w != (s.LastSuccessAt, s.LastErrorAt, s.LatestRecordAt))
            .ToList();
        if (changed.Count > 0)
        {
            // Newer wins whichever instance writes last; GREATEST ignores a NULL on either side.
            await using var upsert = DbCommands.Create(connection, null, """
                INSERT INTO source_status (source, channel, last_success_ms, last_error_ms, last_error, latest_record_ms)
                VALUES (@source, @channel, @success, @error_at, @error, @latest)
                ON CONFLICT (source) DO UPDATE SET
                  channel = excluded.channel,
                  last_success_ms = GREATEST(source_status.last_success_ms, excluded.last_success_ms),
                  last_error = CASE WHEN excluded.last_error_ms > COALESCE(source_status.last_error_ms, -1) THEN excluded.last_error ELSE source_status.last_error END,
                  last_error_ms = GREATEST(source_status.last_error_ms, excluded.last_error_ms),
                  latest_record_ms = GREATEST(source_status.latest_record_ms, excluded.latest_record_ms)
                """,
                ("source", DbType.String), ("channel", DbType.String), ("success", DbType.Int64), ("error_at", DbType.Int64), ("error", DbType.String), ("latest", DbType.Int64));
            foreach (var s in changed)
            {
                upsert.Parameters[0].Value = s.Source;
                upsert.Parameters[1].Value = s.Channel;
                upsert.Parameters[2].Value = (object?)s.LastSuccessAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                upsert.Parameters[3].Value = (object?)s.LastErrorAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                upsert.Parameters[4].Value = (object?)s.LastError ?? DBNull.Value;
                upsert.Parameters[5].Value = (object?)s.LatestRecordAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                _written[s.Source] = (s.LastSuccessAt, s.LastErrorAt, s.LatestRecordAt);
            }
        }

        await using var read = DbCommands.Create(connection, null, "SELECT source, channel, last_success_ms, last_error_ms, last_error, latest_record_ms FROM source_status");
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            static DateTimeOffset? At(System.Data.Common.DbDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
            var source = reader.GetString(0);
            health.TakeShared(source, reader.GetString(1), At(reader, 2), At(reader, 3), reader.IsDBNull(4) ? null : reader.GetString(4), At(reader, 5));
            // What came from the others is not news to write back.
            if (health.Get(source) is { } merged)
            {
                _written[source] = (merged.LastSuccessAt, merged.LastErrorAt, merged.LatestRecordAt);
            }
        }
    }
}
