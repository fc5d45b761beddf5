// Driftvy's Redis aggregates against the raw capacity of the same machine's Redis, in one run:
//   dotnet run -c Release --project bench/Driftvy.Bench -- [--contacts 2000000] [--facts 10000000] [--reads 3000]
// Starts its own redis-server and PostgreSQL on free loopback ports, measures redis-benchmark, then
// Driftvy's ingest (contacts folded per second), rebuild (facts re-aggregated from PostgreSQL) and
// read (a 4-queue board snapshot) and prints the figures and the ratios.
using System.Diagnostics;
using System.Globalization;
using Driftvy.Bench;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Aggregates.Redis;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Infrastructure;
using Driftvy.Web.Storage;
using Npgsql;

Children.StopOnSignals();

// Other verbs: `screens` (wall screens at scale, see ScreensBench) and `bare-server` (its raw broadcast, run as a child).
if (args is ["screens", .. var screenArgs])
{
    await ScreensBench.RunAsync(screenArgs);
    return 0;
}

if (args is ["bare-server", "--port", var barePort, "--payload", var payloadFile])
{
    await BareServer.ServeAsync(int.Parse(barePort, CultureInfo.InvariantCulture), payloadFile);
    return 0;
}

var contactCount = Option(args, "--contacts", 2_000_000);
var factCount = Option(args, "--facts", 10_000_000);
var readCount = Option(args, "--reads", 3_000);
var inv = CultureInfo.InvariantCulture;

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
var redisPort = Servers.FreePort();
await using var redis = await Servers.StartRedisAsync(redisPort);

// 1. The machine's raw Redis: pipelined HINCRBY, as many clients as redis-benchmark's default (50).
var rawHincrby = await Servers.RedisBenchmarkAsync(redisPort, "-P", "16", "-n", "2000000", "-r", "100000", "HINCRBY", "bench:h:__rand_int__", "f", "1");
Console.WriteLine(string.Create(inv, $"redis-benchmark -P 16 HINCRBY: {rawHincrby:N0} ops/s"));

var (postgres, postgresConnection) = await Servers.StartPostgresAsync(Servers.FreePort());
await using var _ = postgres;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Urls"] = $"http://127.0.0.1:{Servers.FreePort()}",
    ["ConnectionStrings:Redis"] = $"127.0.0.1:{redisPort}",
    ["ConnectionStrings:Postgres"] = postgresConnection,
    ["Aggregates:KeyPrefix"] = "bench:",
    ["Aggregates:OperationTimeout"] = "00:01:00",
    ["Aggregates:CheckInterval"] = "00:10:00",
    ["Sources:Telephony:Enabled"] = "false",
    ["Logging:LogLevel:Default"] = "Warning",
    ["Storage:DataDirectory"] = Path.Combine(Path.GetTempPath(), "driftvy-bench-data"),
});
builder.AddDriftvy();
await using var app = builder.Build();
await app.StartAsync();
await app.Services.GetRequiredService<AggregateStatus>().WhenReady;
var store = app.Services.GetRequiredService<IAggregateStore>();
var clock = app.Services.GetRequiredService<TimeProvider>();
var now = clock.GetUtcNow();
var board = app.Services.GetRequiredService<BoardCatalog>().Find("kontaktcenter")!;
var queues = board.Tiles.Where(t => t.Queue is not null).Select(t => t.Queue!).Distinct(StringComparer.Ordinal).ToArray();

// 2. Ingest: today's contacts (local midnight to now) folded in batches, as large polls or an import do.
var todayStart = StockholmTime.StartOfDayUtc(StockholmTime.LocalDate(now));
var contacts = Generate(contactCount, queues, todayStart, now, seed: 1);
double updatesPerContact = contacts.Sum(c =>
{
    var t = new ContactTally();
    t.Add(c.Contact);
    return TallyHash.ToFields(t).Count * 3.0;
}) / contacts.Count;
const int IngestBatch = 50_000;
var ingest = Stopwatch.StartNew();
for (var i = 0; i < contacts.Count; i += IngestBatch)
{
    await store.ApplyAsync(new AggregateBatch(contacts.GetRange(i, Math.Min(IngestBatch, contacts.Count - i)), []), CancellationToken.None);
}

ingest.Stop();
var ingestRate = contacts.Count / ingest.Elapsed.TotalSeconds;
var rawContactRate = rawHincrby / updatesPerContact;
var folded = (await store.ReadAsync(queues, [RollingWindow.Today], now, CancellationToken.None))[RollingWindow.Today].Offered;
Console.WriteLine(string.Create(inv, $"ingest: {contacts.Count:N0} contacts in {ingest.Elapsed.TotalSeconds:F2} s = {ingestRate:N0} contacts/s (batches of {IngestBatch:N0}; read back {folded:N0})"));
Console.WriteLine(string.Create(inv, $"  each contact is {updatesPerContact:F1} counter updates (3 buckets); redis-benchmark's HINCRBY rate is {rawContactRate:N0} contacts/s one update at a time"));
Console.WriteLine(string.Create(inv, $"  ratio ingest / raw-Redis-equivalent: {ingestRate / rawContactRate:F2}"));
contacts = null;

// 3. Read: a 4-queue board snapshot (day, every quarter hour so far, live state, KPIs) and the rolling windows.
var snapshots = app.Services.GetRequiredService<BoardSnapshotService>();
var boardTimes = await TimeAsync<BoardSnapshot?>(readCount, () => snapshots.BuildAsync(board.Id, CancellationToken.None));
// The same read right after a fold (a one-contact batch before each), as screens see it while calls come in:
// the day has moved, so the read also asks for the quarter hours whose count moved.
// Redis's own time per read: its busy time over these folds and reads, less that of the same folds without reads.
var afterFold = new double[readCount];
var lateSeq = await store.ReadWatermarkAsync(CancellationToken.None);
var lateRandom = new Random(3);
var busyBefore = await Servers.RedisBusyMicrosecondsAsync(redisPort);
var (pauseBefore, gcBefore) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0));
for (var i = 0; i < readCount; i++)
{
    await FoldOneAsync(i);
    var start = Stopwatch.GetTimestamp();
    await snapshots.BuildAsync(board.Id, CancellationToken.None);
    afterFold[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

var busyWithReads = await Servers.RedisBusyMicrosecondsAsync(redisPort) - busyBefore;
var (pauses, collections) = (GC.GetTotalPauseDuration() - pauseBefore, GC.CollectionCount(0) - gcBefore);
busyBefore = await Servers.RedisBusyMicrosecondsAsync(redisPort);
for (var i = 0; i < readCount; i++)
{
    await FoldOneAsync(i);
}

var redisPerRead = (busyWithReads - (await Servers.RedisBusyMicrosecondsAsync(redisPort) - busyBefore)) / (double)readCount;
Array.Sort(afterFold);
var windowTimes = await TimeAsync(readCount, () => store.ReadAsync(queues, [RollingWindow.Last15Minutes, RollingWindow.Last60Minutes, RollingWindow.Today, RollingWindow.MonthToDate], clock.GetUtcNow(), CancellationToken.None));
var rawGet = await Servers.RedisBenchmarkAsync(redisPort, "-c", "1", "-n", "20000", "-t", "get");
Console.WriteLine(string.Create(inv, $"read: board snapshot ({queues.Length} queues) p50 {Percentile(boardTimes, 50):F3} ms, p90 {Percentile(boardTimes, 90):F3} ms, p99 {Percentile(boardTimes, 99):F3} ms over {readCount:N0} reads (after a 5 s warm-up)"));
Console.WriteLine(string.Create(inv, $"  board snapshot right after a fold into today: p50 {Percentile(afterFold, 50):F3} ms, p90 {Percentile(afterFold, 90):F3} ms, p99 {Percentile(afterFold, 99):F3} ms; Redis's own time per read {redisPerRead:F0} µs"));
Console.WriteLine(string.Create(inv, $"  garbage collections during those {readCount:N0} folds and reads: {collections} pausing {pauses.TotalMilliseconds:F1} ms in all"));
Console.WriteLine(string.Create(inv, $"  rolling windows 15 min/60 min/today/month to date for the {queues.Length} queues: p50 {Percentile(windowTimes, 50):F3} ms, p99 {Percentile(windowTimes, 99):F3} ms"));
Console.WriteLine(string.Create(inv, $"  one raw GET round trip (redis-benchmark -c 1): {1000 / rawGet:F3} ms; ratio board p99 / raw round trip: {Percentile(boardTimes, 99) / (1000 / rawGet):F1}"));

// 4. Rebuild: facts loaded into PostgreSQL with binary COPY, then the store cleared and refolded from them.
var generate = Stopwatch.StartNew();
await GenerateFactsAsync(postgresConnection, factCount, queues, now.AddDays(-60), now);
generate.Stop();
Console.WriteLine(string.Create(inv, $"rebuild: {factCount:N0} facts over 60 days generated in PostgreSQL in {generate.Elapsed.TotalSeconds:F1} s"));
var rebuild = Stopwatch.StartNew();
var refolded = await app.Services.GetRequiredService<AggregateCatchUp>().RebuildAsync(CancellationToken.None);
rebuild.Stop();
var months = BucketKey.Range("x", Granularity.Day, now.AddDays(-61), now.AddDays(1)).ToList();
var total = (await store.ReadMergedAsync([queues.SelectMany(q => months.Select(d => d with { Queue = q })).ToList()], CancellationToken.None))[0].Offered;
var rebuildRate = refolded / rebuild.Elapsed.TotalSeconds;
var watermark = await store.ReadWatermarkAsync(CancellationToken.None);
Console.WriteLine(string.Create(inv, $"  refolded {refolded:N0} in {rebuild.Elapsed.TotalSeconds:F1} s = {rebuildRate:N0} contacts/s (day buckets add up to {total:N0}; watermark {watermark:N0})"));
Console.WriteLine(string.Create(inv, $"  10 million at this rate: {10_000_000 / rebuildRate:F1} s; ratio rebuild / raw-Redis-equivalent: {rebuildRate / rawContactRate:F2}"));

await app.StopAsync();
return 0;

// A one-contact batch into today (five minutes ago, the next queue each time), as a poll folds while calls come in.
async Task FoldOneAsync(int i)
{
    lateSeq++;
    var late = Contact(lateRandom, "late" + lateSeq.ToString(inv), queues[i % queues.Length], clock.GetUtcNow().AddMinutes(-5));
    await store.ApplyAsync(new AggregateBatch([new StoredContact(lateSeq, late)], []), CancellationToken.None);
}

static int Option(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static List<StoredContact> Generate(int count, string[] queues, DateTimeOffset from, DateTimeOffset to, int seed)
{
    var random = new Random(seed);
    var span = (to - from).TotalSeconds;
    var list = new List<StoredContact>(count);
    for (var i = 0; i < count; i++)
    {
        // Evenly spread in time, in offered order (as polls deliver them).
        var offered = from.AddSeconds(span * i / count);
        list.Add(new StoredContact(i + 1, Contact(random, "b" + i.ToString(CultureInfo.InvariantCulture), queues[random.Next(queues.Length)], offered)));
    }

    return list;
}

static ContactRecord Contact(Random random, string id, string queue, DateTimeOffset offered)
{
    var wait = TimeSpan.FromMilliseconds(random.Next(0, 240_000));
    if (random.NextDouble() < 0.85)
    {
        var answered = offered + wait;
        return new ContactRecord(id, Channel.Phone, queue, offered, answered, null, answered.AddSeconds(random.Next(60, 600)), random.NextDouble() < 0.7 ? random.NextDouble() < 0.8 : null);
    }

    return new ContactRecord(id, Channel.Phone, queue, offered, null, offered + wait, null, null);
}

static async Task GenerateFactsAsync(string connectionString, int count, string[] queues, DateTimeOffset from, DateTimeOffset to)
{
    // Generated by PostgreSQL itself into the real facts table (its indexes included), in offered order so that
    // seq follows time as it does for facts polled live; the same mix as the ingest contacts: waits up to
    // 4 minutes, 85 % answered, 60-600 s handling, 70 % of answered calls with a first-contact flag (80 % resolved).
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    // The secondary indexes are dropped for the load and built again after it (a sort per index instead of
    // ten million index insertions); the table ends up exactly as its migrations made it.
    var indexes = new List<(string Name, string Definition)>();
    await using (var list = new NpgsqlCommand("SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = 'contacts' AND NOT x.indisprimary", connection))
    await using (var rows = await list.ExecuteReaderAsync())
    {
        while (await rows.ReadAsync())
        {
            indexes.Add((rows.GetString(0), rows.GetString(1)));
        }
    }

    foreach (var (name, _) in indexes)
    {
        await using var drop = new NpgsqlCommand($"DROP INDEX \"{name}\"", connection);
        await drop.ExecuteNonQueryAsync();
    }

    await using (var seed = new NpgsqlCommand("SELECT setseed(0.2)", connection))
    {
        await seed.ExecuteNonQueryAsync();
    }

    const string Sql = """
        INSERT INTO contacts (contact_id, source, channel, queue, offered_at_ms, answered_at_ms, abandoned_at_ms, ended_at_ms, resolved_first_contact, received_at_ms)
        SELECT 'f' || i, 'bench', 0, q, o,
               CASE WHEN a THEN o + w END,
               CASE WHEN a THEN NULL ELSE o + w END,
               CASE WHEN a THEN o + w + h END,
               CASE WHEN a AND flagged < 0.7 THEN resolved < 0.8 END,
               @received
        FROM (SELECT i, (@queues::text[])[1 + floor(random() * cardinality(@queues::text[]))::int] AS q,
                     @from + (@span * (i - 1)) / @n AS o,
                     floor(random() * 240000)::bigint AS w, random() < 0.85 AS a,
                     (60 + floor(random() * 541)::bigint) * 1000 AS h, random() AS flagged, random() AS resolved
              FROM generate_series(1::bigint, @n) AS i) AS g
        """;
    await using (var insert = new NpgsqlCommand(Sql, connection))
    {
        insert.Parameters.AddWithValue("queues", queues);
        insert.Parameters.AddWithValue("from", from.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("span", (long)(to - from).TotalMilliseconds);
        insert.Parameters.AddWithValue("n", (long)count);
        insert.Parameters.AddWithValue("received", to.ToUnixTimeMilliseconds());
        await insert.ExecuteNonQueryAsync();
    }

    foreach (var (_, definition) in indexes)
    {
        await using var create = new NpgsqlCommand(definition, connection);
        await create.ExecuteNonQueryAsync();
    }

    await using var analyze = new NpgsqlCommand("ANALYZE contacts", connection);
    await analyze.ExecuteNonQueryAsync();
}

static async Task<double[]> TimeAsync<T>(int count, Func<Task<T>> read)
{
    // Warm-up: at least 200 calls and 5 s, so the JIT's tiers have settled as they have in a server that has been up
    // (with 2 s, a run that starts reading a second after start-up measured twice the p50 of one that waited longer).
    var warm = Stopwatch.StartNew();
    for (var i = 0; i < 200 || warm.Elapsed < TimeSpan.FromSeconds(5); i++)
    {
        await read();
    }

    var times = new double[count];
    for (var i = 0; i < count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await read();
        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    Array.Sort(times);
    return times;
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
