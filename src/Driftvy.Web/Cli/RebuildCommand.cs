using System.CommandLine;
using System.Diagnostics;
using Driftvy.Web.Aggregates;
using Spectre.Console;

namespace Driftvy.Web.Cli;

/// <summary><c>driftvy rebuild</c>: clears the aggregate store and folds every stored fact again.</summary>
internal static class RebuildCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<DateOnly?>("--from") { Description = "Also re-derive the durable day and quarter tallies from the stored facts, from this Stockholm day on." };
        var rebuild = new Command("rebuild", "Rebuild the aggregates (Redis or in-process) from the stored facts. Screens show \"rebuilding\" meanwhile.") { from };
        rebuild.SetAction(async (parse, ct) =>
        {
            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            if (parse.GetValue(from) is { } first)
            {
                var history = await app.Services.GetRequiredService<History.HistoryVerifier>().RederiveAsync(first, ct).ConfigureAwait(false);
                context.Console.WriteLine($"Re-derived {history.SpansChecked:N0} day and quarter tallies from {first:yyyy-MM-dd} out of {history.FactsRead:N0} stored contacts.");
            }

            var store = app.Services.GetRequiredService<IAggregateStore>();
            if (store.Kind == "in-process")
            {
                // In-process aggregates live in the host's memory; each host rebuilds its own at start-up.
                context.Console.WriteLine("The aggregates are in-process: a running host rebuilds them at start-up; nothing to do here.");
                return 0;
            }

            var started = Stopwatch.GetTimestamp();
            var folded = await app.Services.GetRequiredService<AggregateCatchUp>().RebuildAsync(ct).ConfigureAwait(false);
            context.Console.WriteLine($"Rebuilt the {store.Kind} aggregates from {folded:N0} facts in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s.");
            return 0;
        });
        return rebuild;
    }
}
