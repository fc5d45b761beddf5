using System.Data;
using System.Data.Common;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Driftvy.Web.Storage;

/// <summary>
/// Writes many contact facts inside the caller's transaction, skipping ids already stored, and returns
/// the new ones with their sequence numbers (in sequence order). PostgreSQL: under the contact lock, a
/// block of sequence numbers reserved in one statement per chunk, then binary COPY straight into the fact
/// table (ids already stored are looked up only for a chunk that clashes). SQLite: one prepared statement
/// executed per row (SQLite has no bulk path that beats that inside one transaction; its single writer
/// orders the seqs). The day and quarter tallies of the new facts are written in the same transaction.
/// </summary>
internal sealed class ContactBulkWriter(CallerIdentity callers)
{
    /// <summary>Serialises contact inserts across processes on PostgreSQL, so sequence numbers commit in order.</summary>
    internal const long ContactSeqLock = 0x44726976_0001;

    private const int ProgressEvery = 10_000;
    private const string ChunkSavepoint = "contact_chunk";

    private const string Columns =
        "contact_id, source, channel, queue, offered_at_ms, answered_at_ms, abandoned_at_ms, ended_at_ms, resolved_first_contact, received_at_ms, caller_hash, caller_masked";

    /// <summary>
    /// Stores the chunks as they come (the file may still be being read), in order. A chunk holds no id
    /// twice and no id of an earlier chunk: the caller removes repeats within a file.
    /// </summary>
    public async Task<List<StoredContact>> AddNewAsync(
        DriftvyDbContext db, string source, IAsyncEnumerable<IReadOnlyList<ContactRecord>> chunks, long receivedAtMs, Action<int>? progress, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var tx = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("A transaction is required.");
        var added = new List<StoredContact>();
        var tallies = new History.ContactTallies.Running();
        var done = 0;
        if (connection is NpgsqlConnection npgsql)
        {
            await LockSequenceAsync(npgsql, (NpgsqlTransaction)tx, cancellationToken).ConfigureAwait(false);
            await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var before = added.Count;
                await CopyAsync(npgsql, (NpgsqlTransaction)tx, source, chunk, receivedAtMs, added, done, progress, cancellationToken).ConfigureAwait(false);
                tallies.Add(added.GetRange(before, added.Count - before));
                done += chunk.Count;
                progress?.Invoke(done);
            }

            return WithoutRefused(added, await History.ContactTallies.AddAsync(connection, tx, tallies, receivedAtMs, cancellationToken).ConfigureAwait(false));
        }

        await using var insert = await PrepareInsertAsync(connection, tx, source, receivedAtMs, cancellationToken).ConfigureAwait(false);
        await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var before = added.Count;
            await InsertEachAsync(insert, chunk, added, done, progress, cancellationToken).ConfigureAwait(false);
            tallies.Add(added.GetRange(before, added.Count - before));
            done += chunk.Count;
            progress?.Invoke(done);
        }

        // The tallies of what was stored, in the same transaction: committed together or not at all.
        return WithoutRefused(added, await History.ContactTallies.AddAsync(connection, tx, tallies, receivedAtMs, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The contacts stored, less those quarantined because they could not be tallied (no longer facts).</summary>
    private static List<StoredContact> WithoutRefused(List<StoredContact> added, IReadOnlyList<RefusedContact> refused)
    {
        if (refused.Count > 0)
        {
            var gone = refused.Select(r => r.Seq).ToHashSet();
            added.RemoveAll(c => gone.Contains(c.Seq));
        }

        return added;
    }

    private static async Task<DbCommand> PrepareInsertAsync(DbConnection connection, DbTransaction tx, string source, long received, CancellationToken cancellationToken)
    {
        await using (var pragma = connection.CreateCommand())
        {
            // A large file inserts into two indexes in random key order: with SQLite's default 2 MB page
            // cache that spills to disk page by page. 256 MB keeps the working set in memory for this connection.
            pragma.Transaction = tx;
            pragma.CommandText = "PRAGMA cache_size = -262144";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO contacts ({Columns}) VALUES (@id, @source, @channel, @queue, @offered, @answered, @abandoned, @ended, @fcr, @received, @caller_hash, @caller_masked) " +
            "ON CONFLICT (contact_id) DO NOTHING RETURNING seq";
        string[] names = ["@id", "@source", "@channel", "@queue", "@offered", "@answered", "@abandoned", "@ended", "@fcr", "@received", "@caller_hash", "@caller_masked"];
        DbType[] types = [DbType.String, DbType.String, DbType.Int32, DbType.String, DbType.Int64, DbType.Int64, DbType.Int64, DbType.Int64, DbType.Boolean, DbType.Int64, DbType.String, DbType.String];
        for (var i = 0; i < names.Length; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = names[i];
            p.DbType = types[i];
            cmd.Parameters.Add(p);
        }

        await cmd.PrepareAsync(cancellationToken).ConfigureAwait(false);
        cmd.Parameters[1].Value = source;
        cmd.Parameters[9].Value = received;
        return cmd;
    }

    private async Task InsertEachAsync(
        DbCommand cmd, IReadOnlyList<ContactRecord> contacts, List<StoredContact> added, int before, Action<int>? progress, CancellationToken cancellationToken)
    {
        var p = cmd.Parameters;
        for (var n = 0; n < contacts.Count; n++)
        {
            var c = contacts[n];
            p[0].Value = c.ContactId;
            p[2].Value = (int)c.Channel;
            p[3].Value = c.Queue;
            p[4].Value = c.OfferedAt.ToUnixTimeMilliseconds();
            p[5].Value = (object?)c.AnsweredAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            p[6].Value = (object?)c.AbandonedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            p[7].Value = (object?)c.EndedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            p[8].Value = (object?)c.ResolvedFirstContact ?? DBNull.Value;
            p[10].Value = c.CallerNumber is { } number ? callers.Hash(number) : (object?)c.CallerHash ?? DBNull.Value;
            p[11].Value = c.CallerNumber is { } masked ? CallerIdentity.Mask(masked) : (object?)c.CallerMask ?? DBNull.Value;
            if (await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long seq)
            {
                added.Add(new StoredContact(seq, ContactFactStore.AsStored(c)));
            }

            if ((before + n + 1) % ProgressEvery == 0)
            {
                progress?.Invoke(before + n + 1);
            }
        }
    }

    private async Task CopyAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string source, IReadOnlyList<ContactRecord> contacts, long received,
        List<StoredContact> added, int before, Action<int>? progress, CancellationToken cancellationToken)
    {
        // Under the lock no other writer inserts contacts, and a chunk holds no id twice, so the only clash
        // possible is with a contact stored before. Most chunks have none: they are copied straight into the
        // fact table (no staging table, no per-row ON CONFLICT, no look-up), inside a savepoint. A chunk that
        // does clash (a re-run, an overlapping export) is rolled back alone and copied again without the ids
        // found stored.
        await tx.SaveAsync(ChunkSavepoint, cancellationToken).ConfigureAwait(false);
        try
        {
            await CopyRowsAsync(connection, tx, source, contacts, received, added, before, progress, cancellationToken).ConfigureAwait(false);
            await tx.ReleaseAsync(ChunkSavepoint, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await tx.RollbackAsync(ChunkSavepoint, cancellationToken).ConfigureAwait(false);
        }

        var stored = await ExistingIdsAsync(connection, tx, contacts, cancellationToken).ConfigureAwait(false);
        var fresh = new List<ContactRecord>(contacts.Count - stored.Count);
        foreach (var c in contacts)
        {
            if (!stored.Contains(c.ContactId))
            {
                fresh.Add(c);
            }
        }

        await CopyRowsAsync(connection, tx, source, fresh, received, added, before, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies the rows in with a block of sequence numbers reserved for them; adds them to <paramref name="added"/> once all are in.</summary>
    private async Task CopyRowsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string source, IReadOnlyList<ContactRecord> fresh, long received,
        List<StoredContact> added, int before, Action<int>? progress, CancellationToken cancellationToken)
    {
        if (fresh.Count == 0)
        {
            return;
        }

        var first = await ReserveSeqsAsync(connection, tx, fresh.Count, cancellationToken).ConfigureAwait(false);
        var rows = new List<StoredContact>(fresh.Count);

        // Rows are written with the synchronous Write: it only fills Npgsql's buffer (flushed when full), and
        // an awaited call per value costs more than the copy itself at a million rows.
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY contacts (seq, {Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            for (var n = 0; n < fresh.Count; n++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var c = fresh[n];
                var seq = first + n;
                writer.StartRow();
                writer.Write(seq, NpgsqlDbType.Bigint);
                writer.Write(c.ContactId, NpgsqlDbType.Varchar);
                writer.Write(source, NpgsqlDbType.Varchar);
                writer.Write((int)c.Channel, NpgsqlDbType.Integer);
                writer.Write(c.Queue, NpgsqlDbType.Varchar);
                writer.Write(c.OfferedAt.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint);
                WriteNullable(writer, c.AnsweredAt?.ToUnixTimeMilliseconds());
                WriteNullable(writer, c.AbandonedAt?.ToUnixTimeMilliseconds());
                WriteNullable(writer, c.EndedAt?.ToUnixTimeMilliseconds());
                if (c.ResolvedFirstContact is { } fcr)
                {
                    writer.Write(fcr, NpgsqlDbType.Boolean);
                }
                else
                {
                    writer.WriteNull();
                }

                writer.Write(received, NpgsqlDbType.Bigint);
                if (c.CallerNumber is { } number)
                {
                    writer.Write(callers.Hash(number), NpgsqlDbType.Varchar);
                    writer.Write(CallerIdentity.Mask(number), NpgsqlDbType.Varchar);
                }
                else if (c.CallerHash is { } hash)
                {
                    writer.Write(hash, NpgsqlDbType.Varchar);
                    if (c.CallerMask is { } mask)
                    {
                        writer.Write(mask, NpgsqlDbType.Varchar);
                    }
                    else
                    {
                        writer.WriteNull();
                    }
                }
                else
                {
                    writer.WriteNull();
                    writer.WriteNull();
                }

                rows.Add(new StoredContact(seq, ContactFactStore.AsStored(c)));
                if ((before + n + 1) % ProgressEvery == 0)
                {
                    progress?.Invoke(before + n + 1);
                }
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        added.AddRange(rows);
    }

    /// <summary>
    /// Takes the transaction-scoped lock every contact insert on PostgreSQL takes (this bulk path and
    /// <see cref="ContactFactStore"/>'s poll path alike), so sequence numbers become visible in order:
    /// an aggregate store skips a batch at or below its watermark, and a lower seq committed after a
    /// higher one had been folded would be missed. Released by the commit or rollback.
    /// </summary>
    internal static async Task LockSequenceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({ContactSeqLock})", cancellationToken).ConfigureAwait(false);

    private static async Task<HashSet<string>> ExistingIdsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<ContactRecord> contacts, CancellationToken cancellationToken)
    {
        var ids = new string[contacts.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = contacts[i].ContactId;
        }

        // The planner's statistics do not know the rows this transaction has copied in, and for a chunk of
        // ids it then prefers scanning the whole table to probing the unique index: at a million rows that
        // made every look-up a full scan. Probing is what is wanted here, however large the table.
        await using var cmd = new NpgsqlCommand(
            "SET LOCAL enable_seqscan = off; SELECT c.contact_id FROM contacts c WHERE c.contact_id = ANY(@ids); SET LOCAL enable_seqscan TO DEFAULT", connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { TypedValue = ids });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <summary>
    /// Moves the identity sequence past <paramref name="count"/> values in one step and returns the first.
    /// Safe only under <see cref="LockSequenceAsync"/>: nobody else draws from the sequence meanwhile.
    /// A rolled-back import leaves a gap, as any rolled-back insert does.
    /// </summary>
    private static async Task<long> ReserveSeqsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, int count, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT setval(s.name, nextval(s.name) + @count - 1) FROM (SELECT pg_get_serial_sequence('contacts', 'seq') AS name) s", connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<long>("count", NpgsqlDbType.Bigint) { TypedValue = count });
        var last = (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return last - count + 1;
    }

    private static void WriteNullable(NpgsqlBinaryImporter writer, long? value)
    {
        if (value is { } v)
        {
            writer.Write(v, NpgsqlDbType.Bigint);
        }
        else
        {
            writer.WriteNull();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
