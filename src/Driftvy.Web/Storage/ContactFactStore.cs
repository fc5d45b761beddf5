using System.Data;
using System.Data.Common;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Privacy;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Driftvy.Web.Storage;

/// <summary>A contact that was new to the fact store, with the sequence number it was given.</summary>
public sealed record StoredContact(long Seq, ContactRecord Contact);

/// <summary>Durable contact facts: written before anything is aggregated, read back to rebuild.</summary>
public interface IContactFactStore
{
    /// <summary>
    /// Stores the contacts in one transaction; a contact whose id is already stored is skipped.
    /// Returns only the contacts that were new, in insertion order.
    /// </summary>
    Task<IReadOnlyList<StoredContact>> AddNewAsync(string source, IReadOnlyList<ContactRecord> contacts, CancellationToken cancellationToken);

    /// <summary>Facts with <c>seq &gt; afterSeq</c> offered at or after <paramref name="offeredFrom"/>, in seq order.</summary>
    IAsyncEnumerable<StoredContact> ReadAfterAsync(long afterSeq, DateTimeOffset offeredFrom, CancellationToken cancellationToken);

    Task<long> MaxSeqAsync(CancellationToken cancellationToken);

    /// <summary>Whether a fact with <c>afterSeq &lt; seq &lt; beforeSeq</c> offered at or after <paramref name="offeredFrom"/> is stored.</summary>
    Task<bool> AnyBetweenAsync(long afterSeq, long beforeSeq, DateTimeOffset offeredFrom, CancellationToken cancellationToken);
}

internal sealed class ContactFactStore(
    IDbContextFactory<DriftvyDbContext> contexts, CallerIdentity callers, ContactQuarantine quarantine, TimeProvider time, ILogger<ContactFactStore> logger) : IContactFactStore
{
    private const string InsertSql =
        "INSERT INTO contacts (contact_id, source, channel, queue, offered_at_ms, answered_at_ms, abandoned_at_ms, ended_at_ms, resolved_first_contact, received_at_ms, caller_hash, caller_masked) " +
        "VALUES (@id, @source, @channel, @queue, @offered, @answered, @abandoned, @ended, @fcr, @received, @caller_hash, @caller_masked) " +
        "ON CONFLICT (contact_id) DO NOTHING RETURNING seq";

    public async Task<IReadOnlyList<StoredContact>> AddNewAsync(string source, IReadOnlyList<ContactRecord> contacts, CancellationToken cancellationToken)
    {
        if (contacts.Count == 0)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (connection is NpgsqlConnection npgsql)
        {
            // The same lock as a bulk import: without it a poll could commit a higher seq while an import
            // in another process still holds lower ones, and a fold in between would move the watermark past them.
            await ContactBulkWriter.LockSequenceAsync(npgsql, (NpgsqlTransaction)tx, cancellationToken);
        }

        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = InsertSql;
        var p = new DbParameter[12];
        string[] names = ["@id", "@source", "@channel", "@queue", "@offered", "@answered", "@abandoned", "@ended", "@fcr", "@received", "@caller_hash", "@caller_masked"];
        // Types are declared up front so the statement can be prepared once (PostgreSQL needs them).
        DbType[] types = [DbType.String, DbType.String, DbType.Int32, DbType.String, DbType.Int64, DbType.Int64, DbType.Int64, DbType.Int64, DbType.Boolean, DbType.Int64, DbType.String, DbType.String];
        for (var i = 0; i < names.Length; i++)
        {
            p[i] = cmd.CreateParameter();
            p[i].ParameterName = names[i];
            p[i].DbType = types[i];
            cmd.Parameters.Add(p[i]);
        }

        await cmd.PrepareAsync(cancellationToken);
        var received = time.GetUtcNow().ToUnixTimeMilliseconds();
        var added = new List<StoredContact>(contacts.Count);
        foreach (var c in contacts)
        {
            p[0].Value = c.ContactId;
            p[1].Value = source;
            p[2].Value = (int)c.Channel;
            p[3].Value = c.Queue;
            p[4].Value = c.OfferedAt.ToUnixTimeMilliseconds();
            p[5].Value = (object?)c.AnsweredAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            p[6].Value = (object?)c.AbandonedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            p[7].Value = (object?)c.EndedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            p[8].Value = (object?)c.ResolvedFirstContact ?? DBNull.Value;
            p[9].Value = received;
            p[10].Value = c.CallerNumber is { } n ? callers.Hash(n) : (object?)c.CallerHash ?? DBNull.Value;
            p[11].Value = c.CallerNumber is { } m ? CallerIdentity.Mask(m) : (object?)c.CallerMask ?? DBNull.Value;
            var seq = await cmd.ExecuteScalarAsync(cancellationToken);
            if (seq is not null and not DBNull)
            {
                // Hand back the contact as stored (millisecond instants), so that what is folded now
                // equals what a rebuild from the facts folds later.
                added.Add(new StoredContact(Convert.ToInt64(seq, System.Globalization.CultureInfo.InvariantCulture), AsStored(c)));
            }
        }

        var refused = await History.ContactTallies.AddAsync(connection, tx, added, received, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        if (refused.Count > 0)
        {
            ContactQuarantine.Log(logger, refused, History.ContactTallies.QuarantineStage);
            var gone = refused.Select(r => r.Seq).ToHashSet();
            added.RemoveAll(c => gone.Contains(c.Seq));
        }

        return added;
    }

    public async IAsyncEnumerable<StoredContact> ReadAfterAsync(long afterSeq, DateTimeOffset offeredFrom, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A rebuild streams millions of rows through here: plain SQL over the context's connection, only the
        // columns a fold needs, read in column order (sequential access), without entity materialisation.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = ReadAfterSql;
        AddParameter(cmd, "@after", afterSeq);
        AddParameter(cmd, "@from", offeredFrom.ToUnixTimeMilliseconds());
        var unreadable = new List<RefusedContact>();
        await using (var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var seq = reader.GetInt64(0);
                ContactRecord record;
                try
                {
                    record = ReadRecord(reader, 1);
                }
                catch (ArgumentException ex)
                {
                    // A row written past the import's checks with an instant no date can hold: it is quarantined
                    // below and skipped, so it cannot stop the fold reading the rows after it.
                    unreadable.Add(new RefusedContact(seq, ContactQuarantine.Reason(ex)));
                    continue;
                }

                yield return new StoredContact(seq, record);
            }
        }

        await quarantine.MoveAsync(unreadable, "read", cancellationToken);
    }

    /// <summary>
    /// A contact from the columns contact_id, channel, queue, offered_at_ms, answered_at_ms, abandoned_at_ms, ended_at_ms,
    /// resolved_first_contact, starting at <paramref name="first"/>: the one reading of a stored fact.
    /// </summary>
    internal static ContactRecord ReadRecord(DbDataReader reader, int first)
    {
        DateTimeOffset? At(int i) => reader.IsDBNull(first + i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + i));
        return new ContactRecord(
            reader.GetString(first),
            (Channel)reader.GetInt32(first + 1),
            reader.GetString(first + 2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 3)),
            At(4),
            At(5),
            At(6),
            reader.IsDBNull(first + 7) ? null : reader.GetBoolean(first + 7));
    }

    private const string ReadAfterSql =
        "SELECT seq, contact_id, channel, queue, offered_at_ms, answered_at_ms, abandoned_at_ms, ended_at_ms, resolved_first_contact " +
        "FROM contacts WHERE seq > @after AND offered_at_ms >= @from ORDER BY seq";

    private static void AddParameter(DbCommand cmd, string name, long value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.DbType = DbType.Int64;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    public async Task<long> MaxSeqAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Contacts.MaxAsync(c => (long?)c.Seq, cancellationToken) ?? 0;
    }

    public async Task<bool> AnyBetweenAsync(long afterSeq, long beforeSeq, DateTimeOffset offeredFrom, CancellationToken cancellationToken)
    {
        var from = offeredFrom.ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Contacts.AnyAsync(c => c.Seq > afterSeq && c.Seq < beforeSeq && c.OfferedAtMs >= from, cancellationToken);
    }

    internal static ContactRecord AsStored(ContactRecord c) => c with
    {
        CallerNumber = null,
        CallerHash = null,
        CallerMask = null,
        OfferedAt = Truncate(c.OfferedAt),
        AnsweredAt = c.AnsweredAt is { } a ? Truncate(a) : null,
        AbandonedAt = c.AbandonedAt is { } b ? Truncate(b) : null,
        EndedAt = c.EndedAt is { } e ? Truncate(e) : null,
    };

    private static DateTimeOffset Truncate(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    internal static ContactRecord ToRecord(ContactFact f) => new(
        f.ContactId,
        (Channel)f.Channel,
        f.Queue,
        DateTimeOffset.FromUnixTimeMilliseconds(f.OfferedAtMs),
        f.AnsweredAtMs is { } a ? DateTimeOffset.FromUnixTimeMilliseconds(a) : null,
        f.AbandonedAtMs is { } b ? DateTimeOffset.FromUnixTimeMilliseconds(b) : null,
        f.EndedAtMs is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null,
        f.ResolvedFirstContact);
}
