using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Sources.QueueLog;
using Spectre.Console;

namespace Driftvy.Web.Cli;

/// <summary><c>driftvy import queue-log &lt;file&gt; --source NAME</c>: an Asterisk/FreePBX queue_log, all or nothing.</summary>
internal static class QueueLogImport
{
    public static async Task<int> RunAsync(CliContext context, FileInfo path, string source, CancellationToken cancellationToken)
    {
        if (!path.Exists)
        {
            context.Console.MarkupLine($"[red]No such file:[/] {Markup.Escape(path.FullName)}");
            return 2;
        }

        if (!UnitDirectory.IsCode(source))
        {
            context.Console.MarkupLine("[red]--source must be lower-case letters, digits, '_' or '-' (e.g. freepbx)[/]");
            return 2;
        }

        await using var app = await context.StartAsync(null, cancellationToken).ConfigureAwait(false);
        var reader = app.Services.GetRequiredService<QueueLogReader>();
        var result = await reader.ImportFileAsync(path.FullName, source, fold: false, cancellationToken).ConfigureAwait(false);
        context.Console.WriteLine(result.Summary);
        if (result.Import.Committed)
        {
            context.Console.WriteLine($"{result.OpenCalls:N0} call(s) still open at the end of the file: completed when their endings arrive in the next file of source '{source}'.");
        }

        return ImportCommand.Print(context.Console, result.Import);
    }
}
