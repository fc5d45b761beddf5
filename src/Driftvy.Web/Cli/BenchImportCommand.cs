using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Spectre.Console;

namespace Driftvy.Web.Cli;

/// <summary>
/// <c>driftvy bench-import [--rows N] [--postgres CONN] [--skip-sqlite]</c>: generates N contacts as CSV and
/// imports them through the same service as <c>driftvy import</c> into a fresh SQLite file and, when given,
/// a PostgreSQL database (use an empty one), reporting rows/s beside the raw
/// capacity of the engine underneath (the same rows, plainly inserted), measured in the same run. A benchmark, not a test.
/// </summary>
internal static class BenchImportCommand
{
    private static readonly string[] Queues = ["kc-stockholm", "aldre-direkt", "lon-pension", "leverantorsreskontra"];

    public static Command Create(CliContext context)
    {
        var rows = new Option<int>("--rows") { Description = "contacts to import", DefaultValueFactory = _ => 1_000_000 };
        var postgres = new Option<string?>("--postgres") { Description = "Npgsql connection string of an empty database" };
        var skipSqlite = new Option<bool>("--skip-sqlite") { Description = "measure PostgreSQL only" };
        var command = new Command("bench-import", "Measure import speed (contacts) on SQLite and PostgreSQL.") { rows, postgres, skipSqlite };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(rows);
            context.Console.WriteLine($"Generating {count:N0} contacts …");
            var csv = Generate(count);
            context.Console.WriteLine($"CSV: {csv.Length / 1024.0 / 1024.0:N1} MiB, {Environment.ProcessorCount} cores");
            var lines = new List<string>();
            if (!parse.GetValue(skipSqlite))
            {
                var folder = Path.Combine(Path.GetTempPath(), "driftvy-bench-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(folder);
                try
                {
                    lines.Add(await RunAsync(context, "sqlite", new Dictionary<string, string?>
                    {
                        ["Storage:DataDirectory"] = folder, ["ConnectionStrings:Postgres"] = "", ["ConnectionStrings:Sqlite"] = "",
                    }, csv, count, ct).ConfigureAwait(false));
                }
                finally
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    Directory.Delete(folder, recursive: true);
                }
            }

            if (parse.GetValue(postgres) is { Length: > 0 } connection)
            {
                lines.Add(await RunAsync(context, "postgresql", new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connection }, csv, count, ct).ConfigureAwait(false));
            }

            foreach (var line in lines)
            {
                Console.Out.WriteLine(line);
            }

            return 0;
        });
        return command;
    }

    private static async Task<string> RunAsync(CliContext context, string name, Dictionary<string, string?> settings, byte[] csv, int count, CancellationToken ct)
    {
        settings["Ingestion:MaxFileBytes"] = long.MaxValue.ToString(CultureInfo.InvariantCulture);
        await using var app = await context.StartAsync(settings, ct).ConfigureAwait(false);
        var imports = app.Services.GetRequiredService<ImportService>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        context.Console.WriteLine($"{name}: importing …");
        var result = await imports.ImportAsync(new ImportRequest(IngestKind.Contacts, "bench", "bench.csv") { Fold = false }, csv, null, ct).ConfigureAwait(false);
        var total = clock.Elapsed;
        if (!result.Committed)
        {
            throw new InvalidOperationException("The generated file was refused: " + result.Errors[0]);
        }

        var cpuUsed = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        context.Console.WriteLine($"{name}: measuring the raw engine …");
        var (rawWhat, raw) = await RawEngineAsync(app, ct).ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: {count:N0} rows ({result.Accepted:N0} new, {result.Duplicates:N0} duplicate), parsing beside storing; " +
            $"total {total.TotalSeconds:N2} s = {count / total.TotalSeconds:N0} rows/s; CPU of this process {cpuUsed:N1} s. " +
            $"Raw engine, the same rows by {rawWhat}: {raw.TotalSeconds:N2} s = {count / raw.TotalSeconds:N0} rows/s (import at {raw / total:P0} of it)");
    }

    /// <summary>
    /// What the engine underneath takes for the same rows with none of the import's duties (no id check,
    /// no indexes, no parsing), durably committed: PostgreSQL a plain binary COPY, SQLite a prepared insert
    /// per row, each into an unindexed table in one transaction.
    /// </summary>
    private static async Task<(string What, TimeSpan Elapsed)> RawEngineAsync(WebApplication app, CancellationToken ct)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DriftvyDbContext>>().CreateDbContextAsync(ct).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(connection, "DROP TABLE IF EXISTS bench_raw", ct).ConfigureAwait(false);
        TimeSpan elapsed;
        string what;
        if (connection is NpgsqlConnection npgsql)
        {
            await ExecuteAsync(connection, "CREATE TABLE bench_raw (LIKE contacts)", ct).ConfigureAwait(false);
            using var rows = new MemoryStream();
            await using (var export = await npgsql.BeginRawBinaryCopyAsync("COPY (SELECT * FROM contacts ORDER BY seq) TO STDOUT (FORMAT BINARY)", ct).ConfigureAwait(false))
            {
                await export.CopyToAsync(rows, ct).ConfigureAwait(false);
            }

            rows.Position = 0;
            var clock = Stopwatch.StartNew();
            await using (var tx = await npgsql.BeginTransactionAsync(ct).ConfigureAwait(false))
            {
                await using (var load = await npgsql.BeginRawBinaryCopyAsync("COPY bench_raw FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
                {
                    await rows.CopyToAsync(load, ct).ConfigureAwait(false);
                }

                await tx.CommitAsync(ct).ConfigureAwait(false);
            }

            elapsed = clock.Elapsed;
            what = "binary COPY into an unindexed table";
        }
        else
        {
            await ExecuteAsync(connection, "CREATE TABLE bench_raw AS SELECT * FROM contacts WHERE 0", ct).ConfigureAwait(false);
            var rows = new List<object[]>();
            await using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT * FROM contacts ORDER BY seq";
                await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var values = new object[reader.FieldCount];
                    reader.GetValues(values);
                    rows.Add(values);
                }
            }

            var clock = Stopwatch.StartNew();
            await using (var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false))
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = tx;
                var width = rows.Count > 0 ? rows[0].Length : 0;
                insert.CommandText = "INSERT INTO bench_raw VALUES (" + string.Join(", ", Enumerable.Range(0, width).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture))) + ")";
                for (var i = 0; i < width; i++)
                {
                    var p = insert.CreateParameter();
                    p.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
                    insert.Parameters.Add(p);
                }

                await insert.PrepareAsync(ct).ConfigureAwait(false);
                foreach (var row in rows)
                {
                    for (var i = 0; i < width; i++)
                    {
                        insert.Parameters[i].Value = row[i];
                    }

                    await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await tx.CommitAsync(ct).ConfigureAwait(false);
            }

            elapsed = clock.Elapsed;
            what = "a prepared INSERT per row into an unindexed table";
        }

        await ExecuteAsync(connection, "DROP TABLE bench_raw", ct).ConfigureAwait(false);
        return (what, elapsed);
    }

    private static async Task ExecuteAsync(System.Data.Common.DbConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Realistic contacts: four queues, mostly phone, ~85 % answered within minutes, the rest abandoned.</summary>
    internal static byte[] Generate(int count)
    {
#pragma warning disable CA5394 // Test data, not security.
        var random = new Random(2026);
        var sb = new StringBuilder(count * 170);
        sb.Append("contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\n");
        var start = new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.FromHours(2));
        for (var i = 0; i < count; i++)
        {
            var offered = start.AddSeconds(i * 7L % (86400L * 60));
            var channel = random.Next(10) switch { < 8 => "phone", 8 => "email", _ => "chat" };
            sb.Append("bench-").Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(channel).Append(',').Append(Queues[i % Queues.Length]).Append(',');
            Time(sb, offered).Append(',');
            if (random.Next(100) < 85)
            {
                var answered = offered.AddSeconds(random.Next(5, 240));
                Time(sb, answered).Append(",,");
                Time(sb, answered.AddSeconds(random.Next(60, 900))).Append(',').Append(random.Next(10) < 8 ? "true" : "false").Append('\n');
            }
            else
            {
                sb.Append(',');
                Time(sb, offered.AddSeconds(random.Next(10, 300))).Append(",,\n");
            }
        }
#pragma warning restore CA5394

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static StringBuilder Time(StringBuilder sb, DateTimeOffset t) => sb.Append(t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
}
