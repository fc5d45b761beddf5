using System.Text.Json;
using System.Text.Json.Serialization;
using Driftvy.Web.Alerts.Delivery;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Alerts.State;

/// <summary>Another instance changed a rule's state after this one read it: what this one concluded is dropped.</summary>
internal sealed class AlertStateConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a commit stored: the rules' new versions and the notifications that are new (to be sent by this instance).</summary>
internal sealed record AlertCommit(IReadOnlyList<AlertRuleState> States, IReadOnlySet<string> NewNotifications);

/// <summary>
/// The alert state every instance shares, in the facts database: each rule's state with its current incident and
/// acknowledgement, the alarm log, and the notifications by key. A commit stores all of an evaluation's changes in one
/// transaction, on condition that no rule it read has changed meanwhile (a version per rule), so two instances never
/// both record, and both send, the same change.
/// </summary>
internal sealed class AlertStateStore(IDbContextFactory<DriftvyDbContext> contexts)
{
    private static readonly JsonSerializerOptions RuleJson = new()
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The stored states of <paramref name="ruleIds"/>, or of every rule when null.</summary>
    public async Task<IReadOnlyList<AlertRuleState>> LoadAsync(IReadOnlyCollection<string>? ruleIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Set<AlertStateRow>().AsNoTracking();
        if (ruleIds is not null)
        {
            rows = rows.Where(r => ruleIds.Contains(r.RuleId));
        }

        return (await rows.ToListAsync(cancellationToken).ConfigureAwait(false)).Select(ToState).ToList();
    }

    /// <summary>The open incidents as every instance sees them.</summary>
    public async Task<IReadOnlyList<AlertIncident>> OpenIncidentsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Set<AlertStateRow>().AsNoTracking()
            .Where(r => r.IncidentId != null && r.ResolvedAtMs == null)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(ToState).Select(s => s.Incident!).OrderBy(i => i.FiredAt).ToList();
    }

    /// <summary>
    /// Stores <paramref name="states"/>, the alarm-log entries of <paramref name="logged"/> and the notifications not
    /// stored before, in one transaction. Throws <see cref="AlertStateConflictException"/> when a rule's stored version
    /// is not the one its state was read at.
    /// </summary>
    public async Task<AlertCommit> CommitAsync(
        IReadOnlyList<AlertRuleState> states, IReadOnlyList<AlertIncident> logged, IReadOnlyList<NotificationWork> notifications, NotificationClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(claim);
        var now = claim.At;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = states.Select(s => s.RuleId).ToList();
        var rows = await db.Set<AlertStateRow>().Where(r => ids.Contains(r.RuleId)).ToDictionaryAsync(r => r.RuleId, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        var stored = new List<AlertRuleState>();
        foreach (var state in states)
        {
            if (rows.TryGetValue(state.RuleId, out var row))
            {
                if (row.Version != state.Version)
                {
                    throw new AlertStateConflictException($"rule '{state.RuleId}' is at version {row.Version}, read at {state.Version}");
                }

                if (Apply(row, state))
                {
                    row.Version++;
                }
            }
            else
            {
                if (state.Version != 0)
                {
                    throw new AlertStateConflictException($"rule '{state.RuleId}' was removed after it was read");
                }

                row = new AlertStateRow { RuleId = state.RuleId, Version = 1 };
                Apply(row, state);
                db.Add(row);
            }

            stored.Add(state with { Version = row.Version });
        }

        foreach (var incident in logged.Distinct())
        {
            await AlertLog.UpsertAsync(db, incident, cancellationToken).ConfigureAwait(false);
        }

        var keys = notifications.Select(n => n.Key).ToList();
        var known = (await db.Set<AlertNotificationRow>().Where(n => keys.Contains(n.Key)).Select(n => n.Key).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in notifications.Where(n => !known.Contains(n.Key)))
        {
            if (fresh.Add(n.Key))
            {
                db.Add(new AlertNotificationRow
                {
                    Key = n.Key,
                    IncidentId = n.Event.Incident.Id.ToString("N"),
                    RuleId = n.Event.Incident.Rule.Id,
                    Channel = n.Channel.Id,
                    Kind = n.Event.Kind.ToString().ToLowerInvariant(),
                    Status = NotificationStatus.Pending,
                    CreatedAtMs = now.ToUnixTimeMilliseconds(),
                    Payload = JsonSerializer.Serialize(new StoredEvent(n.Event.Kind, n.Event.Incident), RuleJson),
                    ClaimedBy = claim.By,
                    ClaimedUntilMs = claim.Until.ToUnixTimeMilliseconds(),
                    Claims = 1,
                });
            }
        }

        // Each fresh notification's picture, once per event (its channels share it).
        var images = notifications.Where(n => fresh.Contains(n.Key) && n.Image is not null).Select(n => (n.Image!, n.Event)).DistinctBy(x => x.Item1.Id).ToList();
        var imageIds = images.Select(x => x.Item1.Id).ToList();
        var storedImages = (await db.Set<AlertImageRow>().Where(i => imageIds.Contains(i.Id)).Select(i => i.Id).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (image, e) in images.Where(x => !storedImages.Contains(x.Item1.Id)))
        {
            db.Add(new AlertImageRow { Id = image.Id, IncidentId = e.Incident.Id.ToString("N"), Png = image.Png, CreatedAtMs = now.ToUnixTimeMilliseconds() });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex)
        {
            // A version that moved under this write (an acknowledgement, another instance), or a row or key that
            // another instance inserted first.
            throw new AlertStateConflictException(ex.Message, ex);
        }

        return new AlertCommit(stored, fresh);
    }

    /// <summary>Acknowledges an open incident on every instance at once; null when there is no such open incident.</summary>
    public async Task<AlertRuleState?> AcknowledgeAsync(Guid incidentId, string by, string? comment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = incidentId.ToString("N");
        var at = now.ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await db.Set<AlertStateRow>()
            .Where(r => r.IncidentId == id && r.ResolvedAtMs == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(r => r.AcknowledgedAtMs, at)
                    .SetProperty(r => r.AcknowledgedBy, by)
                    .SetProperty(r => r.AcknowledgeComment, comment)
                    .SetProperty(r => r.Version, r => r.Version + 1),
                cancellationToken).ConfigureAwait(false);
        if (changed == 0)
        {
            return null;
        }

        var row = await db.Set<AlertStateRow>().AsNoTracking().SingleAsync(r => r.IncidentId == id, cancellationToken).ConfigureAwait(false);
        var state = ToState(row);
        await AlertLog.UpsertAsync(db, state.Incident!, cancellationToken).ConfigureAwait(false);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>
    /// Claims notifications still pending whose claim has run out (the instance sending them died, or its queue was
    /// full): each is claimed by exactly one instance, which sends it under its unchanged key. Oldest first.
    /// </summary>
    public async Task<IReadOnlyList<(string Key, string Channel, AlertEvent Event)>> ClaimOverdueAsync(NotificationClaim claim, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var nowMs = claim.At.ToUnixTimeMilliseconds();
        var overdue = await db.Set<AlertNotificationRow>().AsNoTracking()
            .Where(n => n.Status == NotificationStatus.Pending && n.Payload != null && (n.ClaimedUntilMs == null || n.ClaimedUntilMs < nowMs))
            .OrderBy(n => n.CreatedAtMs).Take(limit)
            .Select(n => new { n.Key, n.Channel, n.Payload, n.ClaimedUntilMs })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var claimed = new List<(string, string, AlertEvent)>();
        foreach (var row in overdue)
        {
            // Only if nobody claimed it since it was read: the claim it was read with must still stand.
            var taken = await db.Set<AlertNotificationRow>()
                .Where(n => n.Key == row.Key && n.Status == NotificationStatus.Pending && n.ClaimedUntilMs == row.ClaimedUntilMs)
                .ExecuteUpdateAsync(
                    u => u.SetProperty(n => n.ClaimedBy, claim.By).SetProperty(n => n.ClaimedUntilMs, claim.Until.ToUnixTimeMilliseconds()).SetProperty(n => n.Claims, n => n.Claims + 1),
                    cancellationToken).ConfigureAwait(false);
            if (taken == 1 && JsonSerializer.Deserialize<StoredEvent>(row.Payload!, RuleJson) is { } stored)
            {
                claimed.Add((row.Key, row.Channel, new AlertEvent(stored.Kind, stored.Incident, Notify: true)));
            }
        }

        return claimed;
    }

    /// <summary>Records how a notification ended.</summary>
    public async Task FinishNotificationAsync(string key, string status, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.ToUnixTimeMilliseconds();
        var bounded = error is { Length: > 300 } ? error[..300] : error;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<AlertNotificationRow>().Where(n => n.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, status).SetProperty(n => n.Error, bounded).SetProperty(n => n.FinishedAtMs, at), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>A stored alert picture, or null.</summary>
    public async Task<AlertImage?> FindImageAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<AlertImageRow>().AsNoTracking().Where(i => i.Id == id).Select(i => new { i.Id, i.Png }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : new AlertImage(row.Id, row.Png);
    }

    /// <summary>The notifications stored, newest first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<AlertNotificationRow>> NotificationsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<AlertNotificationRow>().AsNoTracking().OrderByDescending(n => n.CreatedAtMs).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="state"/> into <paramref name="row"/>; true when anything changed.</summary>
    private static bool Apply(AlertStateRow row, AlertRuleState state)
    {
        var before = (row.RuleJson, row.PendingSinceMs, row.IncidentId, row.FiredAtMs, row.Value, row.AcknowledgedAtMs, row.ResolvedAtMs, row.Refires, row.LastNotifiedAtMs);
        row.PendingSinceMs = state.PendingSince?.ToUnixTimeMilliseconds();
        if (state.Incident is { } i)
        {
            var id = i.Id.ToString("N");
            if (row.IncidentId != id)
            {
                row.IncidentId = id;
                row.RuleJson = JsonSerializer.Serialize(i.Rule, RuleJson);
                row.FiredAtMs = i.FiredAt.ToUnixTimeMilliseconds();
                row.AcknowledgedAtMs = i.AcknowledgedAt?.ToUnixTimeMilliseconds();
                row.AcknowledgedBy = i.AcknowledgedBy;
                row.AcknowledgeComment = i.AcknowledgeComment;
            }

            // The acknowledgement of a stored incident is written only by AcknowledgeAsync.
            row.Value = i.Value;
            row.ResolvedAtMs = i.ResolvedAt?.ToUnixTimeMilliseconds();
            row.Refires = i.Refires;
            row.LastNotifiedAtMs = i.LastNotifiedAt.ToUnixTimeMilliseconds();
        }
        else if (row.IncidentId is not null)
        {
            row.IncidentId = null;
            row.RuleJson = null;
            row.FiredAtMs = null;
            row.Value = null;
            row.AcknowledgedAtMs = null;
            row.AcknowledgedBy = null;
            row.AcknowledgeComment = null;
            row.ResolvedAtMs = null;
            row.Refires = 0;
            row.LastNotifiedAtMs = null;
        }

        return before != (row.RuleJson, row.PendingSinceMs, row.IncidentId, row.FiredAtMs, row.Value, row.AcknowledgedAtMs, row.ResolvedAtMs, row.Refires, row.LastNotifiedAtMs);
    }

    private static AlertRuleState ToState(AlertStateRow row)
    {
        AlertIncident? incident = null;
        if (row.IncidentId is not null && row.RuleJson is not null && row.FiredAtMs is { } fired)
        {
            incident = new AlertIncident
            {
                Id = Guid.ParseExact(row.IncidentId, "N"),
                Rule = JsonSerializer.Deserialize<AlertRule>(row.RuleJson, RuleJson)!,
                FiredAt = DateTimeOffset.FromUnixTimeMilliseconds(fired),
                Value = row.Value,
                AcknowledgedAt = row.AcknowledgedAtMs is { } a ? DateTimeOffset.FromUnixTimeMilliseconds(a) : null,
                AcknowledgedBy = row.AcknowledgedBy,
                AcknowledgeComment = row.AcknowledgeComment,
                ResolvedAt = row.ResolvedAtMs is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null,
                Refires = row.Refires,
                LastNotifiedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.LastNotifiedAtMs ?? fired),
            };
        }

        return new AlertRuleState(row.RuleId, row.PendingSinceMs is { } p ? DateTimeOffset.FromUnixTimeMilliseconds(p) : null, incident, row.Version);
    }
}

/// <summary>Who sends a notification, decided or found overdue at <paramref name="At"/>, and until when no other instance may.</summary>
internal sealed record NotificationClaim(string By, DateTimeOffset At, DateTimeOffset Until);

/// <summary>A notification's content as stored with it.</summary>
internal sealed record StoredEvent(AlertEventKind Kind, AlertIncident Incident);

/// <summary>The states a stored notification goes through.</summary>
internal static class NotificationStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}
