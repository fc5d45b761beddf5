using System.Data;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Driftvy.Web.History;

/// <summary>
/// A database that stored contact facts before durable tallies existed gets them derived from its facts, once, right
/// after the migration that adds them (in the host and the command line alike). From then on every fact is tallied in
/// the transaction that stores it, so the table is never empty while facts exist.
/// </summary>
internal static class HistoryBackfill
{
    private const int Chunk = 100_000;

    /// <summary>Derives the tallies when none are stored but facts are; returns the facts tallied (0 when nothing was to do).</summary>
    public static async Task<long> RunIfNeededAsync(DriftvyDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.ContactTallies.AnyAsync(cancellationToken).ConfigureAwait(false) || !await db.Contacts.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var connection = db.Database.GetDbConnection();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var transaction = tx.GetDbTransaction();
        if (connection is NpgsqlConnection npgsql)
        {
            // The lock every contact writer takes: no fact is stored (and tallied) while the backfill reads.
            await ContactBulkWriter.LockSequenceAsync(npgsql, (NpgsqlTransaction)transaction, cancellationToken).ConfigureAwait(false);
        }

        // Checked again inside the transaction: another process may have done it meanwhile.
        if (await db.ContactTallies.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var deltas = new Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally>();
        long tallied = 0;
        var after = 0L;
        while (true)
        {
            await using var cmd = ContactTallies.Command(connection, transaction,
                "SELECT seq, contact_id, channel, queue, offered_at_ms, answered_at_ms, abandoned_at_ms, ended_at_ms, resolved_first_contact " +
                "FROM contacts WHERE seq > @after ORDER BY seq LIMIT " + Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [("@after", DbType.Int64)]);
            cmd.Parameters[0].Value = after;
            var chunk = new List<StoredContact>(Chunk);
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    after = reader.GetInt64(0);
                    chunk.Add(new StoredContact(after, ContactFactStore.ReadRecord(reader, 1)));
                }
            }

            ContactTallies.MergeInto(deltas, ContactTallies.Deltas(chunk));
            var read = chunk.Count;

            tallied += read;
            if (read < Chunk)
            {
                break;
            }
        }

        await ContactTallies.MergeIntoStoredAsync(connection, transaction, deltas, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return tallied;
    }
}
