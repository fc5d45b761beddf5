using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Storage;

/// <summary>A stored contact that could not be tallied or folded, and why.</summary>
public sealed record RefusedContact(long Seq, string Reason);

/// <summary>A contact in quarantine, as the health answer and the admin page list it.</summary>
/// <param name="Seq">The sequence number it was stored with.</param>
/// <param name="ContactId">The source's id of the contact.</param>
/// <param name="Source">The source that delivered it.</param>
/// <param name="Queue">Its queue.</param>
/// <param name="OfferedAtMs">The offered instant as stored (Unix milliseconds; it may lie outside what a date can hold).</param>
/// <param name="Stage"><c>tally</c> (refused while its durable tallies were written), <c>fold</c> (by the hot store) or <c>read</c> (its row could not be read).</param>
/// <param name="Reason">Why (the exception's type and message, bounded).</param>
/// <param name="QuarantinedAt">When it was moved aside.</param>
public sealed record QuarantinedContact(long Seq, string ContactId, string Source, string Queue, long OfferedAtMs, string Stage, string Reason, DateTimeOffset QuarantinedAt);

/// <summary>How many contacts are in quarantine, when the last came, and the latest few.</summary>
public sealed record QuarantineSummary(long Count, DateTimeOffset? LatestAt, IReadOnlyList<QuarantinedContact> Latest);

/// <summary>
/// Where a contact goes that the folds cannot take (an instant no calendar arithmetic can hold, written past the
/// import's checks straight into the table, or anything else that throws for that one fact): it is moved out of
/// <c>contacts</c> into <c>quarantined_contacts</c> with the reason, and everything around it goes on. So one fact can
/// never stop the durable tallies, the hot store or a rebuild, and a restart does not meet it again. Its sequence
/// number is kept (the fact table's sequence never hands a number out twice).
/// </summary>
public sealed class ContactQuarantine(IDbContextFactory<DriftvyDbContext> contexts, TimeProvider time, ILogger<ContactQuarantine> logger)
{
    /// <summary>Longest reason kept.</summary>
    public const int MaxReasonLength = 300;

    private const string MoveSql =
        "INSERT INTO quarantined_contacts (seq, contact_id, source, channel, queue, offered_at_ms, answered_at_ms, abandoned_at_ms, ended_at_ms, resolved_first_contact, received_at_ms, stage, reason, quarantined_at_ms) " +
        "SELECT seq, contact_id, source, channel, queue, offered_at_ms, answered_at_ms, abandoned_at_ms, ended_at_ms, resolved_first_contact, received_at_ms, @stage, @reason, @at " +
        "FROM contacts WHERE seq = @seq ON CONFLICT (seq) DO NOTHING";

    /// <summary>
    /// Runs <paramref name="compute"/> over all the contacts; if it throws, tries each contact on its own and returns,
    /// with the result over the others, the contacts it throws for (with the reason). When no single contact is to
    /// blame, the first exception is thrown again: the trouble lies elsewhere (a store that does not answer).
    /// </summary>
    /// <remarks>The happy path costs one call: contacts are tried one by one only after a failure.</remarks>
    internal static (T Result, IReadOnlyList<RefusedContact> Refused) Guard<T>(IReadOnlyList<StoredContact> contacts, Func<IReadOnlyList<StoredContact>, T> compute)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        ArgumentNullException.ThrowIfNull(compute);
        try
        {
            return (compute(contacts), []);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var refused = new List<RefusedContact>();
            var rest = new List<StoredContact>(contacts.Count);
            foreach (var contact in contacts)
            {
                try
                {
                    compute([contact]);
                    rest.Add(contact);
                }
                catch (Exception one) when (one is not OperationCanceledException)
                {
                    refused.Add(new RefusedContact(contact.Seq, Reason(one)));
                }
            }

            if (refused.Count == 0)
            {
                throw;
            }

            return (compute(rest), refused);
        }
    }

    /// <summary>An exception as a reason: its type and message, bounded and on one line.</summary>
    internal static string Reason(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var text = $"{ex.GetType().Name}: {ex.Message}";
        var clean = new string([.. text.Take(MaxReasonLength + 1).Select(c => char.IsControl(c) ? ' ' : c)]);
        return clean.Length > MaxReasonLength ? clean[..MaxReasonLength] + "…" : clean;
    }

    /// <summary>Moves the contacts from <c>contacts</c> into quarantine inside the caller's transaction.</summary>
    internal static async Task MoveAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<RefusedContact> refused, string stage, long atMs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(refused);
        if (refused.Count == 0)
        {
            return;
        }

        await using var move = DbCommands.Create(connection, transaction, MoveSql, ("@seq", DbType.Int64), ("@stage", DbType.String), ("@reason", DbType.String), ("@at", DbType.Int64));
        await using var delete = DbCommands.Create(connection, transaction, "DELETE FROM contacts WHERE seq = @seq", ("@seq", DbType.Int64));
        foreach (var r in refused)
        {
            move.Parameters[0].Value = r.Seq;
            move.Parameters[1].Value = stage;
            move.Parameters[2].Value = r.Reason;
            move.Parameters[3].Value = atMs;
            await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            delete.Parameters[0].Value = r.Seq;
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Moves the contacts into quarantine in a transaction of its own (folds and reads, which hold none).</summary>
    public async Task MoveAsync(IReadOnlyList<RefusedContact> refused, string stage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refused);
        if (refused.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await MoveAsync(connection, tx, refused, stage, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        Log(logger, refused, stage);
    }

    internal static void Log(ILogger logger, IReadOnlyList<RefusedContact> refused, string stage)
    {
        foreach (var r in refused)
        {
            logger.LogError("Contact seq {Seq} could not be used ({Stage}) and was quarantined: {Reason}", r.Seq, stage, r.Reason);
        }
    }

    /// <summary>The number in quarantine and the latest <paramref name="latest"/> of them, newest first.</summary>
    public async Task<QuarantineSummary> ReadAsync(int latest, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        long count;
        long? latestMs;
        await using (var totals = DbCommands.Create(connection, null, "SELECT COUNT(*), MAX(quarantined_at_ms) FROM quarantined_contacts"))
        await using (var reader = await totals.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            count = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            latestMs = reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        var list = new List<QuarantinedContact>();
        if (count > 0 && latest > 0)
        {
            await using var rows = DbCommands.Create(connection, null,
                "SELECT seq, contact_id, source, queue, offered_at_ms, stage, reason, quarantined_at_ms FROM quarantined_contacts ORDER BY quarantined_at_ms DESC, seq DESC LIMIT @n",
                ("@n", DbType.Int32));
            rows.Parameters[0].Value = latest;
            await using var reader = await rows.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(new QuarantinedContact(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                    reader.GetString(5), reader.GetString(6), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
            }
        }

        return new QuarantineSummary(count, latestMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, list);
    }
}
