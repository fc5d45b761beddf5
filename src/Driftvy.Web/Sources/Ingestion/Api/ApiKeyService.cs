using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Sources.Ingestion.Api;

/// <summary>A key as created: <see cref="Key"/> is shown once and never stored.</summary>
public sealed record CreatedApiKey(long Id, string Source, string Key);

/// <summary>A stored key as listed (no secret in it).</summary>
public sealed record ApiKeyInfo(long Id, string Source, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// Per-source keys for the push API. Only the SHA-256 of a key is stored. A plain fast hash is enough here,
/// unlike for passwords: each key is 32 random bytes (256 bits), so guessing one from its hash is as hopeless
/// as guessing the key itself, and a fast unsalted hash lets a request find its key with one indexed lookup.
/// </summary>
public sealed class ApiKeyService(IDbContextFactory<DriftvyDbContext> contexts, TimeProvider time) : Security.IApiKeyValidator
{
    /// <summary>Keys start with this, so a leaked one is easy to recognise (e.g. by secret scanners).</summary>
    public const string Prefix = "dvk_";

    public async Task<CreatedApiKey> CreateAsync(string source, CancellationToken cancellationToken)
    {
        if (!UnitDirectory.IsCode(source))
        {
            throw new ArgumentException("A source id is lower-case letters, digits, '_' or '-' (e.g. agresso).", nameof(source));
        }

        var key = Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = new ApiKey { Source = source, KeyHash = Hash(key), CreatedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds() };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedApiKey(row.Id, source, key);
    }

    /// <summary>Revokes a key; false when there is no such key. Revoking twice keeps the first time.</summary>
    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.ApiKeys.FindAsync([id], cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return false;
        }

        row.RevokedAtMs ??= time.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(k => new ApiKeyInfo(k.Id, k.Source, At(k.CreatedAtMs), k.LastUsedAtMs is { } u ? At(u) : null, k.RevokedAtMs is { } r ? At(r) : null)).ToList();
    }

    /// <summary>The source a presented key belongs to; null for a missing, unknown or revoked key. Records the use.</summary>
    public async Task<string?> AuthenticateAsync(string? presented, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(presented) || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 100)
        {
            return null;
        }

        var hash = Hash(presented.Trim());
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.ApiKeys.SingleOrDefaultAsync(k => k.KeyHash == hash, cancellationToken).ConfigureAwait(false);
        if (row is null || row.RevokedAtMs is not null)
        {
            return null;
        }

        row.LastUsedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return row.Source;
    }

    public Task<string?> SourceForAsync(string key, CancellationToken cancellationToken) => AuthenticateAsync(key, cancellationToken);

    internal static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
