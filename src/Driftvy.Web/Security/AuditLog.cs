using System.Text.Json;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Security;

/// <summary>One audited change: who, when, what, and the value before and after (as JSON).</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public long AtMs { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public required string Entity { get; set; }

    public string? EntityId { get; set; }

    public string? OldValue { get; set; }

    public string? NewValue { get; set; }
}

/// <summary>Records every administrative change; the audit is append-only and viewable by admins.</summary>
public sealed class AuditLog(IDbContextFactory<DriftvyDbContext> contexts, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RecordAsync(string actor, string action, string entity, string? entityId, object? oldValue, object? newValue, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Audit.Add(new AuditEntry
        {
            AtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Actor = actor,
            Action = action,
            Entity = entity,
            EntityId = entityId,
            OldValue = oldValue is null ? null : JsonSerializer.Serialize(oldValue, Json),
            NewValue = newValue is null ? null : JsonSerializer.Serialize(newValue, Json),
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Audit.AsNoTracking().OrderByDescending(a => a.Id).Take(Math.Clamp(take, 1, 10_000)).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
