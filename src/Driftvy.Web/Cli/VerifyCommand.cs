using System.CommandLine;
using System.Globalization;
using Driftvy.Web.History;
using Spectre.Console;

namespace Driftvy.Web.Cli;

/// <summary><c>driftvy verify [--from DATE]</c>: checks every durable tally against its stored facts; exit 1 if any differs.</summary>
internal static class VerifyCommand
{
    private const int Shown = 20;

    public static Command Create(CliContext context)
    {
        var from = new Option<DateOnly?>("--from") { Description = "First Stockholm day to check (default: the oldest day whose facts are all still kept)." };
        var verify = new Command("verify", "Check the durable day and quarter tallies against the stored contact facts.") { from };
        verify.SetAction(async (parse, ct) =>
        {
            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            var verifier = app.Services.GetRequiredService<HistoryVerifier>();
            var first = parse.GetValue(from) ?? verifier.DefaultVerificationStart();
            var check = await verifier.VerifyAsync(first, ct).ConfigureAwait(false);
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Checked {check.SpansChecked:N0} day and quarter tallies from {first:yyyy-MM-dd} against {check.FactsRead:N0} stored contacts."));
            if (check.Consistent)
            {
                context.Console.WriteLine("Every tally matches its facts.");
                return 0;
            }

            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{check.Mismatches.Count:N0} tallies differ from their facts:"));
            foreach (var m in check.Mismatches.Take(Shown))
            {
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {m.Span} {m.Queue} {m.Start:yyyy-MM-dd HH:mm}Z: {m.Difference}"));
            }

            if (check.Mismatches.Count > Shown)
            {
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {check.Mismatches.Count - Shown:N0} more. `driftvy rebuild --from DATE` re-derives them from the facts."));
            }

            return 1;
        });
        return verify;
    }
}
