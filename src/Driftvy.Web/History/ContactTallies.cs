using System.Data;
using System.Data.Common;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Storage;

namespace Driftvy.Web.History;

/// <summary>The spans a durable tally covers: a Stockholm day, or a quarter hour (charts, expected curves).</summary>
public enum TallySpan
{
    Day = 0,
    Quarter = 1,
}

/// <summary>A stored contact tally: one queue, one span starting at <see cref="StartMs"/> (UTC), its counters.</summary>
public sealed class ContactTallyRow
{
    public TallySpan Span { get; set; }

    public required string Queue { get; set; }

    public long StartMs { get; set; }

    public required byte[] Tally { get; set; }
}

/// <summary>
/// Durable contact tallies, written inside the transaction that stores the facts they summarise: a committed fact is
/// always in its day's and its quarter's tally, a rolled-back import leaves none, and a fact stored once (ids are
/// unique) is counted once, in the span it was offered in. Facts are pruned after <c>Privacy:ContactRetention</c>;
/// tallies hold no personal data and are kept, so a report over any past period reads them rather than the facts.
/// </summary>
internal static class ContactTallies
{
    private const string SelectRangeSql =
        "SELECT start_ms, tally FROM contact_tallies WHERE span = @span AND queue = @queue AND start_ms >= @from AND start_ms <= @to";

    private const string UpsertSql =
        "INSERT INTO contact_tallies (span, queue, start_ms, tally) VALUES (@span, @queue, @start, @tally) " +
        "ON CONFLICT (span, queue, start_ms) DO UPDATE SET tally = excluded.tally";

    /// <summary>Adds the contacts just stored to their spans' tallies, in the caller's transaction.</summary>
    public static async Task AddAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<StoredContact> added, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(added);
        if (added.Count == 0)
        {
            return;
        }

        var deltas = new Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally>();
        foreach (var s in added)
        {
            Accumulate(deltas, s.Contact);
        }

        await MergeIntoStoredAsync(connection, transaction, deltas, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where a contact is counted: the Stockholm day and the quarter hour it was offered in.</summary>
    public static (long DayStartMs, long QuarterStartMs) SpansOf(DateTimeOffset offeredAt)
    {
        var day = StockholmTime.StartOfDayUtc(StockholmTime.LocalDate(offeredAt)).ToUnixTimeMilliseconds();
        var ms = offeredAt.ToUnixTimeMilliseconds();
        var quarter = ms - (((ms % QuarterMs) + QuarterMs) % QuarterMs);
        return (day, quarter);
    }

    private const long QuarterMs = 15 * 60 * 1000;

    internal static void Accumulate(Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally> deltas, ContactRecord contact)
    {
        var (day, quarter) = SpansOf(contact.OfferedAt);
        foreach (var key in new[] { (TallySpan.Day, contact.Queue, day), (TallySpan.Quarter, contact.Queue, quarter) })
        {
            if (!deltas.TryGetValue(key, out var tally))
            {
                deltas[key] = tally = new ContactTally();
            }

            tally.Add(contact);
        }
    }

    /// <summary>Reads the stored tallies the deltas touch, merges each delta after what is stored, and writes them back.</summary>
    internal static async Task MergeIntoStoredAsync(
        DbConnection connection, DbTransaction transaction, Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally> deltas, CancellationToken cancellationToken)
    {
        var merged = new List<((TallySpan Span, string Queue, long StartMs) Key, ContactTally Tally)>(deltas.Count);
        await using (var select = Command(connection, transaction, SelectRangeSql, ("@span", DbType.Int32), ("@queue", DbType.String), ("@from", DbType.Int64), ("@to", DbType.Int64)))
        {
            foreach (var group in deltas.GroupBy(d => (d.Key.Span, d.Key.Queue)))
            {
                var wanted = group.ToDictionary(d => d.Key.StartMs, d => d.Value);
                select.Parameters[0].Value = (int)group.Key.Span;
                select.Parameters[1].Value = group.Key.Queue;
                select.Parameters[2].Value = wanted.Keys.Min();
                select.Parameters[3].Value = wanted.Keys.Max();
                var stored = new Dictionary<long, ContactTally>();
                await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var start = reader.GetInt64(0);
                        if (wanted.ContainsKey(start))
                        {
                            stored[start] = ContactTallyCodec.Decode((byte[])reader.GetValue(1));
                        }
                    }
                }

                foreach (var (start, delta) in wanted)
                {
                    var tally = stored.GetValueOrDefault(start) ?? new ContactTally();
                    tally.Merge(delta);
                    merged.Add(((group.Key.Span, group.Key.Queue, start), tally));
                }
            }
        }

        await using var upsert = Command(connection, transaction, UpsertSql, ("@span", DbType.Int32), ("@queue", DbType.String), ("@start", DbType.Int64), ("@tally", DbType.Binary));
        foreach (var (key, tally) in merged)
        {
            upsert.Parameters[0].Value = (int)key.Span;
            upsert.Parameters[1].Value = key.Queue;
            upsert.Parameters[2].Value = key.StartMs;
            upsert.Parameters[3].Value = ContactTallyCodec.Encode(tally);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, DbType Type)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }
}
