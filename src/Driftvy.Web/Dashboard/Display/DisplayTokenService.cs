using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Dashboard.Display;

/// <summary>A display token as listed (never the token itself).</summary>
/// <param name="Id">Token id (for revoking).</param>
/// <param name="BoardId">The one board the token opens.</param>
/// <param name="Label">Where the screen hangs, e.g. "TV plan 3".</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="LastUsedAt">When a screen last opened or joined with it.</param>
/// <param name="RevokedAt">When it was revoked; null while valid.</param>
public sealed record DisplayTokenInfo(long Id, string BoardId, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}

/// <summary>A new token: the only time its secret is shown.</summary>
/// <param name="Token">The secret; put it in the screen's address.</param>
/// <param name="DisplayPath">The address a screen opens: <c>/display/{token}</c>.</param>
/// <param name="Info">The stored record.</param>
public sealed record CreatedDisplayToken(string Token, string DisplayPath, DisplayTokenInfo Info);

/// <summary>
/// Read-only display tokens for wall screens: a token opens one board, never expires like a user session,
/// and stops working the moment it is revoked (live screens using it are disconnected).
/// </summary>
internal sealed class DisplayTokenService(
    IDbContextFactory<DriftvyDbContext> contexts,
    BoardCatalog boards,
    HubSessions connections,
    TimeProvider time) : Security.IDisplayTokenValidator
{
    private const string Columns = "id, board_id, label, created_at_ms, last_used_at_ms, revoked_at_ms";

    public async Task<CreatedDisplayToken> CreateAsync(string boardId, string? label, CancellationToken cancellationToken)
    {
        if (boards.Find(boardId) is null)
        {
            throw new ArgumentException($"Unknown board '{boardId}'.", nameof(boardId));
        }

        if (label is { Length: > 200 })
        {
            throw new ArgumentException("The label may be at most 200 characters.", nameof(label));
        }

        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO display_tokens (token_hash, board_id, label, created_at_ms) VALUES (@hash, @board, @label, @created) RETURNING id";
        Add(cmd, "@hash", DbType.String, Hash(token));
        Add(cmd, "@board", DbType.String, boardId);
        Add(cmd, "@label", DbType.String, string.IsNullOrWhiteSpace(label) ? null : label.Trim());
        Add(cmd, "@created", DbType.Int64, now.ToUnixTimeMilliseconds());
        var id = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        var info = new DisplayTokenInfo(id, boardId, string.IsNullOrWhiteSpace(label) ? null : label.Trim(), FromMs(now.ToUnixTimeMilliseconds()), null, null);
        return new CreatedDisplayToken(token, "/display/" + token, info);
    }

    public async Task<IReadOnlyList<DisplayTokenInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM display_tokens ORDER BY id";
        var list = new List<DisplayTokenInfo>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>What a valid token grants (the security layer's view of a display token).</summary>
    public async Task<Security.DisplayGrant?> GrantForAsync(string token, CancellationToken cancellationToken) =>
        await ValidateAsync(token, cancellationToken).ConfigureAwait(false) is { } info ? new Security.DisplayGrant(info.Id, info.BoardId) : null;

    /// <summary>Whether the token still exists unrevoked; asked on every hub call of a screen that connected with it.</summary>
    public async Task<bool> IsLiveAsync(long tokenId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM display_tokens WHERE id = @id AND revoked_at_ms IS NULL";
        Add(cmd, "@id", DbType.Int64, tokenId);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>
    /// The token's record if it exists and is not revoked (and notes that it was used); null otherwise.
    /// </summary>
    public async Task<DisplayTokenInfo?> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        // Tokens are 43 characters of base64url; anything else cannot match and is not looked up.
        if (string.IsNullOrEmpty(token) || token.Length != 43)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        DisplayTokenInfo info;
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT {Columns} FROM display_tokens WHERE token_hash = @hash";
            Add(cmd, "@hash", DbType.String, Hash(token));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            info = Read(reader);
        }

        if (info.Revoked)
        {
            return null;
        }

        await using (var update = connection.CreateCommand())
        {
            update.CommandText = "UPDATE display_tokens SET last_used_at_ms = @now WHERE id = @id";
            Add(update, "@now", DbType.Int64, time.GetUtcNow().ToUnixTimeMilliseconds());
            Add(update, "@id", DbType.Int64, info.Id);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return info;
    }

    /// <summary>Revokes a token and disconnects the screens using it on this instance. False if no such token.</summary>
    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE display_tokens SET revoked_at_ms = COALESCE(revoked_at_ms, @now) WHERE id = @id";
        Add(cmd, "@now", DbType.Int64, time.GetUtcNow().ToUnixTimeMilliseconds());
        Add(cmd, "@id", DbType.Int64, id);
        var rows = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (rows == 0)
        {
            return false;
        }

        await connections.RevokeAsync(id).ConfigureAwait(false);
        return true;
    }

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static DisplayTokenInfo Read(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.IsDBNull(2) ? null : r.GetString(2),
        FromMs(r.GetInt64(3)),
        r.IsDBNull(4) ? null : FromMs(r.GetInt64(4)),
        r.IsDBNull(5) ? null : FromMs(r.GetInt64(5)));

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static void Add(DbCommand cmd, string name, DbType type, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }
}
