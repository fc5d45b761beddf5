using System.Data;
using System.Data.Common;
using System.Globalization;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Driftvy.Web.History;

/// <summary>A stored tally that does not match its facts.</summary>
/// <param name="Span"><c>day</c>, <c>quarter</c> or <c>channel_day</c>.</param>
/// <param name="Queue">The queue (<c>queue/channel</c> for a channel's day).</param>
/// <param name="Start">Where the span starts (UTC).</param>
/// <param name="Difference">What differs, in words: "offered 12 stored, 13 in the facts".</param>
public sealed record TallyMismatch(string Span, string Queue, DateTimeOffset Start, string Difference);

/// <summary>The outcome of checking (or re-deriving) the durable tallies against the stored facts.</summary>
/// <param name="From">The first Stockholm day checked.</param>
/// <param name="FactsRead">Contact facts read.</param>
/// <param name="SpansChecked">Day and quarter tallies compared (or written, for a re-derivation).</param>
/// <param name="Mismatches">Every span whose tally differs from its facts (empty when all agree).</param>
public sealed record HistoryCheck(DateOnly From, long FactsRead, int SpansChecked, IReadOnlyList<TallyMismatch> Mismatches)
{
    public bool Consistent => Mismatches.Count == 0;
}

/// <summary>
/// Checks the durable tallies against the facts they summarise, and re-derives them from the facts. Both look only
/// at whole Stockholm days from a given day on: facts before it may have been pruned (<c>Privacy:ContactRetention</c>),
/// and then their tallies stand alone by design.
/// </summary>
public sealed class HistoryVerifier(IDbContextFactory<DriftvyDbContext> contexts, IOptions<Privacy.RetentionOptions> retention, TimeProvider time)
{
    private const int Chunk = 100_000;

    /// <summary>Every day and quarter tally from <paramref name="from"/> on, compared with a tally of its facts.</summary>
    public async Task<HistoryCheck> VerifyAsync(DateOnly from, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var fromMs = StockholmTime.StartOfDayUtc(from).ToUnixTimeMilliseconds();
        var (facts, read) = await TallyFactsAsync(connection, tx, fromMs, cancellationToken).ConfigureAwait(false);
        var stored = await ReadStoredAsync(connection, tx, fromMs, cancellationToken).ConfigureAwait(false);
        var mismatches = new List<TallyMismatch>();
        foreach (var key in facts.Keys.Union(stored.Keys).OrderBy(k => k.Span).ThenBy(k => k.Queue, StringComparer.Ordinal).ThenBy(k => k.StartMs))
        {
            var expected = facts.GetValueOrDefault(key) ?? new ContactTally();
            var actual = stored.GetValueOrDefault(key) ?? new ContactTally();
            if (Difference(actual, expected) is { } difference)
            {
                mismatches.Add(new TallyMismatch(key.Span switch { TallySpan.Day => "day", TallySpan.Quarter => "quarter", _ => "channel_day" }, key.Queue, DateTimeOffset.FromUnixTimeMilliseconds(key.StartMs), difference));
            }
        }

        return new HistoryCheck(from, read, facts.Keys.Union(stored.Keys).Count(), mismatches);
    }

    /// <summary>
    /// Replaces every tally from <paramref name="from"/> on with one derived from the stored facts, in one transaction
    /// (under the contact writers' lock on PostgreSQL, so no fact is stored meanwhile).
    /// </summary>
    public async Task<HistoryCheck> RederiveAsync(DateOnly from, CancellationToken cancellationToken)
    {
        var (spans, read) = await DeriveAsync(StockholmTime.StartOfDayUtc(from).ToUnixTimeMilliseconds(), onlyIfNoneStored: false, cancellationToken).ConfigureAwait(false);
        return new HistoryCheck(from, read, spans, []);
    }

    /// <summary>
    /// A database that stored facts before durable tallies existed gets them derived from all its facts, once (at the
    /// first start after the migration that adds them, in the host and the command line alike). From then on every fact
    /// is tallied in the transaction that stores it, so the table is never empty while facts exist. Returns the facts
    /// tallied (0 when tallies were already there or no fact is stored).
    /// </summary>
    /// <remarks>
    /// A database whose tallies were written before channels were tallied apart gets its channel days added from the
    /// facts it still holds, leaving every other tally as it is (those may stand for facts already pruned).
    /// </remarks>
    public async Task<long> DeriveIfNoneStoredAsync(CancellationToken cancellationToken)
    {
        var read = (await DeriveAsync(long.MinValue, onlyIfNoneStored: true, cancellationToken).ConfigureAwait(false)).Read;
        return read > 0 ? read : await DeriveChannelDaysIfNoneStoredAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first whole Stockholm day whose facts <c>Privacy:ContactRetention</c> has not begun to prune: where a check starts by default.</summary>
    public DateOnly DefaultVerificationStart() =>
        StockholmTime.LocalDate(time.GetUtcNow() - retention.Value.ContactRetention).AddDays(1);

    private async Task<(int Spans, long Read)> DeriveAsync(long fromMs, bool onlyIfNoneStored, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (onlyIfNoneStored && (await db.ContactTallies.AnyAsync(cancellationToken).ConfigureAwait(false) || !await db.Contacts.AnyAsync(cancellationToken).ConfigureAwait(false)))
        {
            return (0, 0);
        }

        var connection = db.Database.GetDbConnection();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var transaction = tx.GetDbTransaction();
        if (connection is NpgsqlConnection npgsql)
        {
            await ContactBulkWriter.LockSequenceAsync(npgsql, (NpgsqlTransaction)transaction, cancellationToken).ConfigureAwait(false);
        }

        // Checked again inside the transaction: another process may have derived them meanwhile.
        if (onlyIfNoneStored && await db.ContactTallies.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return (0, 0);
        }

        await using (var delete = DbCommands.Create(connection, transaction, "DELETE FROM contact_tallies WHERE start_ms >= @from", ("@from", DbType.Int64)))
        {
            delete.Parameters[0].Value = fromMs;
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var (facts, read) = await TallyFactsAsync(connection, transaction, fromMs, cancellationToken).ConfigureAwait(false);
        await ContactTallies.MergeIntoStoredAsync(connection, transaction, facts, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (facts.Count, read);
    }

    private async Task<long> DeriveChannelDaysIfNoneStoredAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.ContactTallies.AnyAsync(t => t.Span == TallySpan.ChannelDay, cancellationToken).ConfigureAwait(false)
            || !await db.Contacts.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var connection = db.Database.GetDbConnection();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var transaction = tx.GetDbTransaction();
        if (connection is NpgsqlConnection npgsql)
        {
            await ContactBulkWriter.LockSequenceAsync(npgsql, (NpgsqlTransaction)transaction, cancellationToken).ConfigureAwait(false);
        }

        if (await db.ContactTallies.AnyAsync(t => t.Span == TallySpan.ChannelDay, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var (facts, read) = await TallyFactsAsync(connection, transaction, long.MinValue, cancellationToken).ConfigureAwait(false);
        var channels = facts.Where(f => f.Key.Span == TallySpan.ChannelDay).ToDictionary(f => f.Key, f => f.Value);
        await ContactTallies.MergeIntoStoredAsync(connection, transaction, channels, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return read;
    }

    private static async Task<(Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally> Tallies, long Read)> TallyFactsAsync(
        DbConnection connection, DbTransaction transaction, long fromMs, CancellationToken cancellationToken)
    {
        var tallies = new Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally>();
        long read = 0;
        await using var cmd = DbCommands.Create(connection, transaction,
            "SELECT contact_id, channel, queue, offered_at_ms, answered_at_ms, abandoned_at_ms, ended_at_ms, resolved_first_contact " +
            "FROM contacts WHERE offered_at_ms >= @from ORDER BY seq", ("@from", DbType.Int64));
        cmd.Parameters[0].Value = fromMs;
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        var chunk = new List<StoredContact>(Chunk);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            chunk.Add(new StoredContact(++read, ContactFactStore.ReadRecord(reader, 0)));
            if (chunk.Count == Chunk)
            {
                ContactTallies.MergeInto(tallies, ContactTallies.Deltas(chunk));
                chunk.Clear();
            }
        }

        ContactTallies.MergeInto(tallies, ContactTallies.Deltas(chunk));
        return (tallies, read);
    }

    private static async Task<Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally>> ReadStoredAsync(
        DbConnection connection, DbTransaction transaction, long fromMs, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally>();
        await using var cmd = DbCommands.Create(connection, transaction, "SELECT span, queue, start_ms, tally FROM contact_tallies WHERE start_ms >= @from", ("@from", DbType.Int64));
        cmd.Parameters[0].Value = fromMs;
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stored[((TallySpan)reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2))] = ContactTallyCodec.Decode((byte[])reader.GetValue(3));
        }

        return stored;
    }

    /// <summary>
    /// What differs between a stored tally and the facts' tally, or null when they agree. Counts and histograms must be
    /// equal; the sums of seconds may differ in the last bits, being added in another order.
    /// </summary>
    internal static string? Difference(ContactTally stored, ContactTally facts)
    {
        var parts = new List<string>();
        void Count(string name, long s, long f)
        {
            if (s != f)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {s} stored, {f} in the facts"));
            }
        }

        void Sum(string name, double s, double f)
        {
            if (Math.Abs(s - f) > 1e-6 * Math.Max(1, Math.Abs(f)))
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {s:R} stored, {f:R} in the facts"));
            }
        }

        Count("offered", stored.Offered, facts.Offered);
        Count("answered", stored.Answered, facts.Answered);
        Count("abandoned", stored.Abandoned, facts.Abandoned);
        Count("handled", stored.HandledCount, facts.HandledCount);
        Count("fcr flagged", stored.FcrFlagged, facts.FcrFlagged);
        Count("fcr resolved", stored.FcrResolved, facts.FcrResolved);
        Sum("answered wait seconds", stored.AnsweredWaitSecondsSum, facts.AnsweredWaitSecondsSum);
        Sum("handle seconds", stored.HandleSecondsSum, facts.HandleSecondsSum);
        if (!SameHistogram(stored.AnsweredWaits, facts.AnsweredWaits))
        {
            parts.Add("answered waits differ");
        }

        if (!SameHistogram(stored.AbandonedWaits, facts.AbandonedWaits))
        {
            parts.Add("abandoned waits differ");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static bool SameHistogram(WaitHistogram a, WaitHistogram b) =>
        a.Count == b.Count && a.All(x => b.TryGetValue(x.Key, out var v) && v == x.Value);
}
