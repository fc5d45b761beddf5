using System.CommandLine;
using System.Diagnostics;
using Driftvy.Web.Sources.QueueLog;
using Spectre.Console;

namespace Driftvy.Web.Cli;

/// <summary>
/// <c>driftvy bench-queue-log FILE [--queue NAME=ID]</c>: imports an Asterisk queue_log into a fresh SQLite database
/// through the same reader as <c>driftvy import queue-log</c>, beside reading the same file raw (bytes and lines) and
/// parsing it without storing, in the same run. A benchmark, not a test.
/// </summary>
internal static class BenchQueueLogCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "an Asterisk queue_log" };
        var queue = new Option<string[]>("--queue") { Description = "Asterisk queue → queue id (600=kc-stockholm); unmapped queues are registered", AllowMultipleArgumentsPerToken = true };
        var command = new Command("bench-queue-log", "Measure queue_log import speed beside reading the file raw.") { file, queue };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                context.Console.MarkupLine($"[red]No such file:[/] {Markup.Escape(path.FullName)}");
                return 2;
            }

            // Raw: the bytes off the disk and the lines in them, as any reader must at least do.
            var watch = Stopwatch.StartNew();
            var bytes = await File.ReadAllBytesAsync(path.FullName, ct).ConfigureAwait(false);
            var lines = bytes.AsSpan().Count((byte)'\n');
            var raw = watch.Elapsed;

            // Parsed: every line through the grammar and the call tracker, nothing stored.
            watch.Restart();
            var calls = new QueueLogCalls();
            var ended = new List<QueueLogCall>();
            var n = 0;
            foreach (var line in System.Text.Encoding.UTF8.GetString(bytes).AsSpan().EnumerateLines())
            {
                n++;
                if (!line.IsWhiteSpace() && QueueLogLine.TryParse(line.ToString(), out var e, out _))
                {
                    calls.Feed(e, n, ended);
                }
            }

            var parsed = watch.Elapsed;
            var folder = Path.Combine(Path.GetTempPath(), "driftvy-bench-qlog-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var settings = new Dictionary<string, string?>
                {
                    ["Storage:DataDirectory"] = folder, ["ConnectionStrings:Postgres"] = "", ["ConnectionStrings:Sqlite"] = "",
                    ["Ingestion:UnknownUnits"] = "Register", ["Ingestion:MaxFileBytes"] = (bytes.LongLength + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                foreach (var pair in parse.GetValue(queue) ?? [])
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        settings[$"Sources:QueueLog:Queues:{pair[..eq]}"] = pair[(eq + 1)..];
                    }
                }

                await using var app = await context.StartAsync(settings, ct).ConfigureAwait(false);
                var reader = app.Services.GetRequiredService<QueueLogReader>();
                watch.Restart();
                var result = await reader.ImportFileAsync(path.FullName, "bench", fold: false, ct).ConfigureAwait(false);
                var imported = watch.Elapsed;
                context.Console.WriteLine($"{path.Name}: {bytes.Length / 1024.0 / 1024.0:N1} MiB, {lines:N0} lines, {ended.Count:N0} calls ended, {Environment.ProcessorCount} cores");
                context.Console.WriteLine($"raw read (bytes and lines): {raw.TotalSeconds:N2} s, {lines / raw.TotalSeconds:N0} lines/s");
                context.Console.WriteLine($"parsed, not stored:         {parsed.TotalSeconds:N2} s, {lines / parsed.TotalSeconds:N0} lines/s");
                context.Console.WriteLine($"import (SQLite, one transaction): {imported.TotalSeconds:N2} s, {lines / imported.TotalSeconds:N0} lines/s, " +
                    $"{result.Import.Accepted:N0} calls stored{(result.Import.Committed ? "" : $", REFUSED: {(result.Import.Errors.Count > 0 ? result.Import.Errors[0] : null)}")}");
                return result.Import.Committed ? 0 : 1;
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        });
        return command;
    }
}
