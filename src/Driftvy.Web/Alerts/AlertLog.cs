using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Alerts;

/// <summary>The alarm log: every incident with its lifecycle, kept in the database and exportable.</summary>
public interface IAlertLog
{
    Task SaveAsync(AlertIncident incident, CancellationToken cancellationToken);

    Task<IReadOnlyList<AlertLogEntry>> QueryAsync(string? queue, DateTimeOffset? firedFrom, DateTimeOffset? firedBefore, CancellationToken cancellationToken);
}

/// <summary>One incident as stored (instants as Unix milliseconds, like the other facts).</summary>
public sealed class AlertLogEntry
{
    public required string Id { get; set; }

    public required string RuleId { get; set; }

    public required string Name { get; set; }

    public required string Severity { get; set; }

    public string? Queue { get; set; }

    public string? Team { get; set; }

    public required long FiredAtMs { get; set; }

    public double? Value { get; set; }

    public long? AcknowledgedAtMs { get; set; }

    public string? AcknowledgedBy { get; set; }

    public string? AcknowledgeComment { get; set; }

    public long? ResolvedAtMs { get; set; }

    public int Refires { get; set; }
}

internal sealed class AlertLog(IDbContextFactory<DriftvyDbContext> contexts) : IAlertLog
{
    public async Task SaveAsync(AlertIncident incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await UpsertAsync(db, incident, cancellationToken).ConfigureAwait(false);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds or updates the incident's entry in <paramref name="db"/> (saved with the caller's other changes).</summary>
    internal static async Task UpsertAsync(DriftvyDbContext db, AlertIncident incident, CancellationToken cancellationToken)
    {
        var id = incident.Id.ToString("N");
        var entry = await db.AlertLog.FindAsync([id], cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            entry = new AlertLogEntry
            {
                Id = id,
                RuleId = incident.Rule.Id,
                Name = incident.Rule.Name,
                Severity = incident.Rule.Severity.ToString().ToLowerInvariant(),
                Queue = incident.Rule.Queue,
                Team = incident.Rule.Team,
                FiredAtMs = incident.FiredAt.ToUnixTimeMilliseconds(),
            };
            db.AlertLog.Add(entry);
        }

        entry.Value = incident.Value;
        // An acknowledgement is never taken back: an instance that has not heard of it yet does not erase it.
        if (incident.AcknowledgedAt is { } acknowledged)
        {
            entry.AcknowledgedAtMs = acknowledged.ToUnixTimeMilliseconds();
            entry.AcknowledgedBy = incident.AcknowledgedBy;
            entry.AcknowledgeComment = incident.AcknowledgeComment;
        }

        entry.ResolvedAtMs = incident.ResolvedAt?.ToUnixTimeMilliseconds();
        entry.Refires = incident.Refires;
    }

    public async Task<IReadOnlyList<AlertLogEntry>> QueryAsync(string? queue, DateTimeOffset? firedFrom, DateTimeOffset? firedBefore, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var q = db.AlertLog.AsNoTracking();
        if (queue is not null)
        {
            q = q.Where(e => e.Queue == queue);
        }

        if (firedFrom is { } f)
        {
            var ms = f.ToUnixTimeMilliseconds();
            q = q.Where(e => e.FiredAtMs >= ms);
        }

        if (firedBefore is { } t)
        {
            var ms = t.ToUnixTimeMilliseconds();
            q = q.Where(e => e.FiredAtMs < ms);
        }

        return await q.OrderByDescending(e => e.FiredAtMs).Take(10_000).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
