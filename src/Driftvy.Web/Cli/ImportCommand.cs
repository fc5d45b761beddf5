using System.CommandLine;
using Driftvy.Web.Sources.Ingestion;
using Spectre.Console;

namespace Driftvy.Web.Cli;

/// <summary><c>driftvy import &lt;kind&gt; &lt;file&gt;</c>: one file, all or nothing, with a progress bar.</summary>
internal static class ImportCommand
{
    private const int ErrorsShown = 50;

    public static Command Create(CliContext context)
    {
        var kind = new Argument<string>("kind") { Description = "contacts, cases, volumes, staffing, snapshots, or queue-log (Asterisk/FreePBX)" };
        var file = new Argument<FileInfo>("file") { Description = "a CSV (',' or ';', UTF-8) or JSON file; for queue-log, an Asterisk queue_log" };
        var source = new Option<string>("--source") { Description = "source id stored with the facts", DefaultValueFactory = _ => "cli" };
        var command = new Command("import", "Import one file of canonical records (see \"Data formats\" in the README).") { kind, file, source };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(kind) is "queue-log" or "queue_log")
            {
                return await QueueLogImport.RunAsync(context, parse.GetValue(file)!, parse.GetValue(source)!, ct).ConfigureAwait(false);
            }

            if (!IngestKinds.TryParse(parse.GetValue(kind), out var ingestKind))
            {
                context.Console.MarkupLine($"[red]Unknown kind[/] '{Markup.Escape(parse.GetValue(kind) ?? "")}': use {string.Join(", ", IngestKinds.Names)}.");
                return 2;
            }

            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                context.Console.MarkupLine($"[red]No such file:[/] {Markup.Escape(path.FullName)}");
                return 2;
            }

            // The source id names folders, health entries and watermarks: the same rule as everywhere else.
            if (!UnitDirectory.IsCode(parse.GetValue(source)))
            {
                context.Console.MarkupLine("[red]--source must be lower-case letters, digits, '_' or '-' (e.g. agresso)[/]");
                return 2;
            }

            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            var imports = app.Services.GetRequiredService<ImportService>();
            var format = path.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase) ? TextFormat.Json : TextFormat.Auto;
            var request = new ImportRequest(ingestKind, parse.GetValue(source)!, path.Name) { Format = format, Channel = "cli", Fold = false };
            ImportResult? result = null;
            await context.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask($"{ingestKind.Name()}: reading {path.Name}", maxValue: 1);
                    var report = new CallbackProgress(p =>
                    {
                        if (p.Phase == "store" && p.Total > 0)
                        {
                            task.Description = $"{ingestKind.Name()}: storing {p.Total:N0} rows";
                            task.MaxValue = p.Total;
                            task.Value = p.Done;
                        }
                    });
                    var stream = path.OpenRead();
                    await using (stream.ConfigureAwait(false))
                    {
                        result = await imports.ImportAsync(request, stream, report, ct).ConfigureAwait(false);
                    }

                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);

            return Print(context.Console, result!);
        });
        return command;
    }

    internal static int Print(IAnsiConsole console, ImportResult result)
    {
        if (result.Committed)
        {
            console.MarkupLine($"[green]Committed[/] {result.Rows:N0} rows: {result.Accepted:N0} new, {result.Updated:N0} updated, {result.Duplicates:N0} duplicate.");
            console.MarkupLine("A running Driftvy host folds new contacts into its screens at its next catch-up (Ingestion:CatchUpInterval).");
            return 0;
        }

        console.MarkupLine($"[red]Rejected[/]: nothing was stored. {result.Errors.Count:N0} error(s):");
        foreach (var e in result.Errors.Take(ErrorsShown))
        {
            console.WriteLine("  " + e);
        }

        if (result.Errors.Count > ErrorsShown)
        {
            console.WriteLine($"  … and {result.Errors.Count - ErrorsShown:N0} more");
        }

        return 1;
    }

    private sealed class CallbackProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
