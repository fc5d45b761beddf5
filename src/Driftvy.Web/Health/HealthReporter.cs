using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Health;

/// <summary>The health endpoint's answer.</summary>
/// <param name="Status"><c>healthy</c>, <c>degraded</c> (stale source, aggregates behind or rebuilding) or <c>unhealthy</c> (a store unreachable).</param>
/// <param name="CheckedAt">Server time of the check.</param>
/// <param name="AggregateStore">Which aggregate store is in use: <c>in-process</c> or <c>redis</c>.</param>
/// <param name="Aggregates">Aggregate state and lag behind the facts.</param>
/// <param name="Database">Fact database reachability.</param>
/// <param name="Redis">Redis reachability; null when Redis is not configured.</param>
/// <param name="Sources">Each source's last poll.</param>
public sealed record HealthReport(
    string Status,
    DateTimeOffset CheckedAt,
    string AggregateStore,
    AggregatesHealth Aggregates,
    ComponentHealth Database,
    ComponentHealth? Redis,
    IReadOnlyList<SourceHealthReport> Sources)
{
    /// <summary>Contacts the folds could not take, moved aside so the rest goes on; null when it could not be read.</summary>
    public QuarantineHealth? Quarantine { get; init; }
}

/// <summary>The contacts in quarantine (see <see cref="ContactQuarantine"/>).</summary>
/// <param name="Count">How many are in quarantine.</param>
/// <param name="LatestAt">When the last was quarantined.</param>
/// <param name="Latest">The latest few, named (seq, id, source, queue, reason): for admins only; empty for anyone else.</param>
public sealed record QuarantineHealth(long Count, DateTimeOffset? LatestAt, IReadOnlyList<QuarantinedContact> Latest);

/// <summary>The aggregates against the facts.</summary>
/// <param name="State"><c>ready</c>, <c>rebuilding</c>, <c>behind</c> (folds failing: an outage; facts are still stored) or <c>unavailable</c> (cannot be read).</param>
/// <param name="Watermark">Highest fact sequence folded in.</param>
/// <param name="FactsMaxSeq">Highest fact sequence stored.</param>
/// <param name="LagContacts">Sequence numbers stored but not yet folded.</param>
/// <param name="Error">Why the store is behind or unavailable.</param>
/// <param name="BehindSince">When the current outage began; null when in step.</param>
public sealed record AggregatesHealth(string State, long? Watermark, long? FactsMaxSeq, long? LagContacts, string? Error, DateTimeOffset? BehindSince = null);

public sealed record ComponentHealth(string Name, bool Reachable, string? Error);

/// <summary>Error texts as health shows them: bounded in length and free of control characters.</summary>
internal static class HealthText
{
    /// <summary>Longest error text kept: enough to say what went wrong, never a file's worth.</summary>
    public const int MaxLength = 300;

    public static string? Bound(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var clean = new string(text.Take(MaxLength + 1).Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return clean.Length > MaxLength ? clean[..MaxLength] + "…" : clean;
    }

    /// <summary>
    /// The answer for anyone but an admin: states, ages and counts only. Error texts can quote the data and files
    /// that caused them (values, header lines, paths), so they are for administrators.
    /// </summary>
    public static HealthReport WithoutDetails(this HealthReport report) => report with
    {
        Aggregates = report.Aggregates with { Error = null },
        Database = report.Database with { Error = null },
        Redis = report.Redis is null ? null : report.Redis with { Error = null },
        Sources = [.. report.Sources.Select(s => s with { LastError = null })],
        Quarantine = report.Quarantine is { } q ? q with { Latest = [] } : null,
    };
}

public sealed record SourceHealthReport(string Source, DateTimeOffset? LastSuccessAt, double? AgeSeconds, bool Stale, DateTimeOffset? LastErrorAt, string? LastError, long RowsAcceptedTotal)
{
    /// <summary>How the source delivers: <c>poll</c>, <c>drop-folder</c>, <c>push</c> or <c>http-poll</c>.</summary>
    public string Channel { get; init; } = "poll";

    public long RowsAcceptedToday { get; init; }

    public long RowsRejectedToday { get; init; }

    /// <summary>Seconds between now and the newest record the source delivered; null when it delivered none.</summary>
    public double? LagSeconds { get; init; }
}

internal sealed class HealthReporter(
    IDbContextFactory<DriftvyDbContext> contexts,
    IContactFactStore facts,
    IAggregateStore aggregates,
    AggregateStatus status,
    SourceHealth sources,
    SourceCadence cadence,
    ContactQuarantine quarantine,
    TimeProvider time,
    IServiceProvider services)
{
    /// <summary>How many quarantined contacts the admin's answer names (the newest).</summary>
    public const int QuarantineListed = 10;

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var provider = db.Database.IsNpgsql() ? "postgresql" : "sqlite";
        ComponentHealth database;
        long? maxSeq = null;
        try
        {
            maxSeq = await facts.MaxSeqAsync(cancellationToken).ConfigureAwait(false);
            database = new ComponentHealth(provider, true, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            database = new ComponentHealth(provider, false, HealthText.Bound(ex.Message));
        }

        var redisConnection = services.GetService<StackExchange.Redis.IConnectionMultiplexer>();
        ComponentHealth? redis = null;
        if (redisConnection is not null)
        {
            redis = new ComponentHealth("redis", redisConnection.IsConnected, redisConnection.IsConnected ? null : "not connected");
        }

        AggregatesHealth aggregateHealth;
        try
        {
            var watermark = await aggregates.ReadWatermarkAsync(cancellationToken).ConfigureAwait(false);
            var state = status.State == AggregateState.Rebuilding ? "rebuilding" : status.Behind ? "behind" : "ready";
            aggregateHealth = new AggregatesHealth(
                state, watermark, maxSeq, maxSeq is { } m ? Math.Max(0, m - watermark) : null, HealthText.Bound(status.LastError), status.BehindSince);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // In an outage the facts are still stored and are caught up later: say "behind", not just "unavailable".
            aggregateHealth = new AggregatesHealth(status.Behind ? "behind" : "unavailable", null, maxSeq, null, HealthText.Bound(ex.Message), status.BehindSince);
        }

        var sourceReports = sources.All().Select(s =>
        {
            var age = s.LastSuccessAt is { } at ? (now - at).TotalSeconds : (double?)null;
            var today = s.On(Domain.Calendar.StockholmTime.LocalDate(now));
            return new SourceHealthReport(s.Source, s.LastSuccessAt, age, cadence.IsLate(s, now), s.LastErrorAt, HealthText.Bound(s.LastError), s.RowsAcceptedTotal)
            {
                Channel = s.Channel,
                RowsAcceptedToday = today.RowsAcceptedToday,
                RowsRejectedToday = today.RowsRejectedToday,
                LagSeconds = s.LatestRecordAt is { } latest ? Math.Max(0, (now - latest).TotalSeconds) : null,
            };
        }).ToList();

        QuarantineHealth? quarantined = null;
        if (database.Reachable)
        {
            try
            {
                var summary = await quarantine.ReadAsync(QuarantineListed, cancellationToken).ConfigureAwait(false);
                quarantined = new QuarantineHealth(summary.Count, summary.LatestAt, [.. summary.Latest.Select(q => q with { Reason = HealthText.Bound(q.Reason)! })]);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Health answers even when this table cannot be read (a database not yet migrated): no count then.
            }
        }

        var unhealthy = !database.Reachable || redis is { Reachable: false } || aggregateHealth.State == "unavailable" || aggregateHealth.Watermark is null;
        var degraded = aggregateHealth.State != "ready" || aggregateHealth.LagContacts > 0 || sourceReports.Any(s => s.Stale);
        var overall = unhealthy ? "unhealthy" : degraded ? "degraded" : "healthy";
        return new HealthReport(overall, now, aggregates.Kind, aggregateHealth, database, redis, sourceReports) { Quarantine = quarantined };
    }
}
