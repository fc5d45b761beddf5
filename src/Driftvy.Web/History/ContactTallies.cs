using System.Data;
using System.Data.Common;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Driftvy.Web.History;

/// <summary>
/// The spans a durable tally covers: a Stockholm day, or a quarter hour (charts, expected curves), of a queue's contacts
/// of every channel; or a Stockholm day of one channel of a queue, whose key is <c>queue/channel</c> (see
/// <see cref="ContactTallies.ChannelKey"/>).
/// </summary>
public enum TallySpan
{
    Day = 0,
    Quarter = 1,
    ChannelDay = 2,
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

    private const string UpsertManySql =
        "INSERT INTO contact_tallies (span, queue, start_ms, tally) SELECT * FROM unnest(@spans, @queues, @starts, @tallies) " +
        "ON CONFLICT (span, queue, start_ms) DO UPDATE SET tally = excluded.tally";

    /// <summary>
    /// Adds pre-aggregated contacts (see <see cref="Running"/>) to their spans' tallies, in the caller's transaction;
    /// a contact that could not be tallied is moved into quarantine in the same transaction. Returns those.
    /// </summary>
    public static async Task<IReadOnlyList<RefusedContact>> AddAsync(DbConnection connection, DbTransaction transaction, Running running, long nowMs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(running);
        var deltas = await running.CompleteAsync().ConfigureAwait(false);
        var refused = running.Refused;
        await ContactQuarantine.MoveAsync(connection, transaction, refused, QuarantineStage, nowMs, cancellationToken).ConfigureAwait(false);
        await MergeIntoStoredAsync(connection, transaction, deltas, cancellationToken).ConfigureAwait(false);
        return refused;
    }

    /// <summary>
    /// Adds the contacts just stored to their spans' tallies, in the caller's transaction. A contact that cannot be tallied
    /// (see <see cref="ContactQuarantine"/>) is moved into quarantine in the same transaction, and the rest are tallied
    /// and committed as usual. Returns those quarantined.
    /// </summary>
    public static async Task<IReadOnlyList<RefusedContact>> AddAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<StoredContact> added, long nowMs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(added);
        if (added.Count == 0)
        {
            return [];
        }

        var (deltas, refused) = ContactQuarantine.Guard(added, Deltas);
        await ContactQuarantine.MoveAsync(connection, transaction, refused, QuarantineStage, nowMs, cancellationToken).ConfigureAwait(false);
        await MergeIntoStoredAsync(connection, transaction, deltas, cancellationToken).ConfigureAwait(false);
        return refused;
    }

    /// <summary>The stage quarantine records for contacts refused here.</summary>
    internal const string QuarantineStage = "tally";

    /// <summary>
    /// The contacts pre-aggregated per queue and Stockholm day and quarter hour, by the same bucketing (and in the same
    /// order of addition) as the hot store's folds, so the two agree to the bit.
    /// </summary>
    internal static Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally> Deltas(IReadOnlyList<StoredContact> contacts)
    {
        var deltas = new Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally>();
        foreach (var (key, tally) in new AggregateBatch(contacts, []).Deltas(k => k.Granularity != Granularity.Minute))
        {
            deltas[(key.Granularity == Granularity.Day ? TallySpan.Day : TallySpan.Quarter, key.Queue, key.Start.ToUnixTimeMilliseconds())] = tally;
        }

        // Each queue's channels apart, per day. The day of a minute is worked out once, as in the folds.
        var builders = new Dictionary<(string Key, long StartMs), TallyBuilder>();
        var days = new Dictionary<long, long>();
        foreach (var stored in contacts)
        {
            var c = stored.Contact;
            var minute = c.OfferedAt.UtcTicks / TimeSpan.TicksPerMinute;
            if (!days.TryGetValue(minute, out var dayMs))
            {
                days[minute] = dayMs = BucketKey.For(c.Queue, Granularity.Day, c.OfferedAt).Start.ToUnixTimeMilliseconds();
            }

            var key = (ChannelKey(c.Queue, c.Channel), dayMs);
            if (!builders.TryGetValue(key, out var builder))
            {
                builders[key] = builder = new TallyBuilder();
            }

            var wait = c.Wait;
            builder.Add(c, wait is { } w ? ContactTally.WaitBucket(w) : 0, wait?.TotalSeconds ?? 0);
        }

        foreach (var ((key, startMs), builder) in builders)
        {
            deltas[(TallySpan.ChannelDay, key, startMs)] = builder.ToTally();
        }

        return deltas;
    }

    /// <summary>The key of a queue's channel in <see cref="TallySpan.ChannelDay"/> rows: <c>kc-stockholm/chat</c>.</summary>
    internal static string ChannelKey(string queue, Channel channel) => $"{queue}/{ChannelName(channel)}";

    /// <summary>The queue and channel of a <see cref="TallySpan.ChannelDay"/> key.</summary>
    internal static (string Queue, Channel Channel) SplitChannelKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = key[(slash + 1)..];
        var channel = name switch
        {
            "phone" => Channel.Phone,
            "email" => Channel.Email,
            "chat" => Channel.Chat,
            _ => throw new InvalidDataException($"'{key}' is not a queue/channel key"),
        };
        return (key[..slash], channel);
    }

    /// <summary>The lower-case name of a channel, as the import formats write it.</summary>
    internal static string ChannelName(Channel channel) => channel switch
    {
        Channel.Phone => "phone",
        Channel.Email => "email",
        Channel.Chat => "chat",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    /// <summary>
    /// Pre-aggregates a large write chunk by chunk on another thread while the next chunk is stored, so the tallies cost
    /// an import little more than its last chunk's worth of time. Chunks are merged in the order they were added.
    /// </summary>
    internal sealed class Running
    {
        private readonly Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally> _total = [];
        private readonly System.Collections.Concurrent.ConcurrentQueue<RefusedContact> _refused = new();
        private Task _pending = Task.CompletedTask;

        /// <summary>Contacts that could not be tallied (complete once <see cref="CompleteAsync"/> has returned).</summary>
        public IReadOnlyList<RefusedContact> Refused => [.. _refused.OrderBy(r => r.Seq)];

        public void Add(IReadOnlyList<StoredContact> chunk)
        {
            if (chunk.Count == 0)
            {
                return;
            }

            var previous = _pending;
            _pending = Task.Run(async () =>
            {
                var (deltas, refused) = ContactQuarantine.Guard(chunk, Deltas);
                foreach (var r in refused)
                {
                    _refused.Enqueue(r);
                }

                await previous.ConfigureAwait(false);
                MergeInto(_total, deltas);
            });
        }

        public async Task<Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally>> CompleteAsync()
        {
            await _pending.ConfigureAwait(false);
            return _total;
        }
    }

    /// <summary>Adds <paramref name="more"/> into <paramref name="into"/>, span by span.</summary>
    internal static void MergeInto(
        Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally> into, Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally> more)
    {
        foreach (var (key, tally) in more)
        {
            if (into.TryGetValue(key, out var existing))
            {
                existing.Merge(tally);
            }
            else
            {
                into[key] = tally;
            }
        }
    }

    /// <summary>Reads the stored tallies the deltas touch, merges each delta after what is stored, and writes them back.</summary>
    internal static async Task MergeIntoStoredAsync(
        DbConnection connection, DbTransaction transaction, Dictionary<(TallySpan Span, string Queue, long StartMs), ContactTally> deltas, CancellationToken cancellationToken)
    {
        var merged = new List<((TallySpan Span, string Queue, long StartMs) Key, ContactTally Tally)>(deltas.Count);
        await using (var select = DbCommands.Create(connection, transaction, SelectRangeSql, ("@span", DbType.Int32), ("@queue", DbType.String), ("@from", DbType.Int64), ("@to", DbType.Int64)))
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

        if (connection is NpgsqlConnection npgsql)
        {
            // One statement for every span: a round trip per tally would cost more than the import's COPY itself.
            await using var batch = new NpgsqlCommand(UpsertManySql, npgsql, (NpgsqlTransaction)transaction);
            batch.Parameters.Add(new NpgsqlParameter<int[]>("spans", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. merged.Select(m => (int)m.Key.Span)] });
            batch.Parameters.Add(new NpgsqlParameter<string[]>("queues", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { TypedValue = [.. merged.Select(m => m.Key.Queue)] });
            batch.Parameters.Add(new NpgsqlParameter<long[]>("starts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. merged.Select(m => m.Key.StartMs)] });
            batch.Parameters.Add(new NpgsqlParameter<byte[][]>("tallies", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. merged.Select(m => ContactTallyCodec.Encode(m.Tally))] });
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // SQLite: many rows per statement (each statement has a fixed cost), within its limit of bound parameters.
        const int RowsPerStatement = 250;
        for (var at = 0; at < merged.Count; at += RowsPerStatement)
        {
            var rows = merged.Skip(at).Take(RowsPerStatement).ToList();
            var sql = new System.Text.StringBuilder("INSERT INTO contact_tallies (span, queue, start_ms, tally) VALUES ");
            var parameters = new List<(string, DbType)>(rows.Count * 4);
            for (var i = 0; i < rows.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture, $"(@s{i}, @q{i}, @t{i}, @b{i})");
                parameters.AddRange([($"@s{i}", DbType.Int32), ($"@q{i}", DbType.String), ($"@t{i}", DbType.Int64), ($"@b{i}", DbType.Binary)]);
            }

            sql.Append(" ON CONFLICT (span, queue, start_ms) DO UPDATE SET tally = excluded.tally");
            await using var upsert = DbCommands.Create(connection, transaction, sql.ToString(), [.. parameters]);
            for (var i = 0; i < rows.Count; i++)
            {
                upsert.Parameters[(4 * i) + 0].Value = (int)rows[i].Key.Span;
                upsert.Parameters[(4 * i) + 1].Value = rows[i].Key.Queue;
                upsert.Parameters[(4 * i) + 2].Value = rows[i].Key.StartMs;
                upsert.Parameters[(4 * i) + 3].Value = ContactTallyCodec.Encode(rows[i].Tally);
            }

            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
