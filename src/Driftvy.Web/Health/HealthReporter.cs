using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

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
    IReadOnlyList<SourceHealthReport> Sources);

/// <summary>The aggregates against the facts.</summary>
/// <param name="State"><c>ready</c>, <c>rebuilding</c>, <c>behind</c> (folds failing: an outage; facts are still stored) or <c>unavailable</c> (cannot be read).</param>
/// <param name="Watermark">Highest fact sequence folded in.</param>
/// <param name="FactsMaxSeq">Highest fact sequence stored.</param>
/// <param name="LagContacts">Sequence numbers stored but not yet folded.</param>
/// <param name="Error">Why the store is behind or unavailable.</param>
/// <param name="BehindSince">When the current outage began; null when in step.</param>
public sealed record AggregatesHealth(string State, long? Watermark, long? FactsMaxSeq, long? LagContacts, string? Error, DateTimeOffset? BehindSince = null);

public sealed record ComponentHealth(string Name, bool Reachable, string? Error);

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
    IOptions<TelephonyOptions> telephony,
    TimeProvider time,
    IServiceProvider services)
{
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
            database = new ComponentHealth(provider, false, ex.Message);
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
                state, watermark, maxSeq, maxSeq is { } m ? Math.Max(0, m - watermark) : null, status.LastError, status.BehindSince);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // In an outage the facts are still stored and are caught up later: say "behind", not just "unavailable".
            aggregateHealth = new AggregatesHealth(status.Behind ? "behind" : "unavailable", null, maxSeq, null, ex.Message, status.BehindSince);
        }

        var staleAfter = telephony.Value.StaleAfter;
        var sourceReports = sources.All().Select(s =>
        {
            var age = s.LastSuccessAt is { } at ? (now - at).TotalSeconds : (double?)null;
            var limit = s.StaleAfter ?? staleAfter;
            var today = s.On(Domain.Calendar.StockholmTime.LocalDate(now));
            return new SourceHealthReport(s.Source, s.LastSuccessAt, age, s.Scheduled && (age is null || age > limit.TotalSeconds), s.LastErrorAt, s.LastError, s.RowsAcceptedTotal)
            {
                Channel = s.Channel,
                RowsAcceptedToday = today.RowsAcceptedToday,
                RowsRejectedToday = today.RowsRejectedToday,
                LagSeconds = s.LatestRecordAt is { } latest ? Math.Max(0, (now - latest).TotalSeconds) : null,
            };
        }).ToList();

        var unhealthy = !database.Reachable || redis is { Reachable: false } || aggregateHealth.State == "unavailable" || aggregateHealth.Watermark is null;
        var degraded = aggregateHealth.State != "ready" || aggregateHealth.LagContacts > 0 || sourceReports.Any(s => s.Stale);
        var overall = unhealthy ? "unhealthy" : degraded ? "degraded" : "healthy";
        return new HealthReport(overall, now, aggregates.Kind, aggregateHealth, database, redis, sourceReports);
    }
}
