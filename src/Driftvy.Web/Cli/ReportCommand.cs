using System.CommandLine;
using Driftvy.Web.Reports;
using Spectre.Console;

namespace Driftvy.Web.Cli;

/// <summary>
/// <c>driftvy report tertial 2026 T2 --format xlsx -o t2.xlsx [--charts DIR]</c> and <c>driftvy report monthly 2026 5 …</c>:
/// the same documents as the HTTP API; <c>--charts</c> also writes each chart as PNG and SVG for pasting. <c>driftvy report fix 2026 T2 --by …</c> fixes (fastställer) a finished tertial,
/// which every later export reproduces byte for byte; <c>--fresh</c> recomputes from today's data instead.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var format = new Option<string>("--format") { Description = "xlsx, csv, json or html", DefaultValueFactory = _ => "xlsx" };
        var output = new Option<string?>("--output", "-o") { Description = "file to write (default: the report's own file name in the current folder)" };
        var charts = new Option<string?>("--charts") { Description = "also write every chart as PNG and SVG into this folder (for pasting)" };

        var year = new Argument<int>("year");
        var point = new Argument<string>("period") { Description = "T1, T2 or VB" };
        var fresh = new Option<bool>("--fresh") { Description = "recompute from today's data instead of the frozen report" };
        var tertial = new Command("tertial", "The tertial report (T1 = Jan–Apr, T2 = Jan–Aug, VB = the year).") { year, point, format, output, fresh, charts };
        tertial.SetAction(async (parse, ct) =>
        {
            if (!ReportNames.TryParsePoint(parse.GetValue(point), out var p) || !ReportNames.TryParseFormat(parse.GetValue(format), out var f))
            {
                context.Console.MarkupLine("[red]period must be T1, T2 or VB and --format one of xlsx, csv, json, html[/]");
                return 2;
            }

            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            var service = app.Services.GetRequiredService<ReportService>();
            return await WriteAsync(context.Console, parse.GetValue(output), parse.GetValue(charts), f, stream => service.ExportTertialAsync(parse.GetValue(year), p, f, stream, ct, parse.GetValue(fresh) ? ReportRun.Fresh : ReportRun.Frozen), ct).ConfigureAwait(false);
        });

        var fixYear = new Argument<int>("year");
        var fixPoint = new Argument<string>("period") { Description = "T1, T2 or VB" };
        var acceptGaps = new Option<bool>("--accept-gaps") { Description = "fix it even though some rows have no value for want of data" };
        var by = new Option<string>("--by") { Description = "who fixes it (recorded in the audit log)", Required = true };
        var fix = new Command("fix", "Fix (fastställ) a finished tertial report: later exports reproduce it byte for byte.") { fixYear, fixPoint, acceptGaps, by };
        fix.SetAction(async (parse, ct) =>
        {
            if (!ReportNames.TryParsePoint(parse.GetValue(fixPoint), out var p))
            {
                context.Console.MarkupLine("[red]period must be T1, T2 or VB[/]");
                return 2;
            }

            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            var service = app.Services.GetRequiredService<ReportService>();
            var outcome = await service.FixAsync(parse.GetValue(fixYear), p, $"{parse.GetValue(by)} (command line)", parse.GetValue(acceptGaps), ct).ConfigureAwait(false);
            if (outcome.Refusal is { } refusal)
            {
                context.Console.WriteLine($"Not fixed: {refusal.Reason}");
                foreach (var gap in refusal.Gaps)
                {
                    context.Console.WriteLine($"  {gap}");
                }

                return 1;
            }

            context.Console.WriteLine(outcome.Report!.StatusLine());
            return 0;
        });

        var monthYear = new Argument<int>("year");
        var month = new Argument<int>("month");
        var monthly = new Command("monthly", "The monthly productivity report.") { monthYear, month, format, output, charts };
        monthly.SetAction(async (parse, ct) =>
        {
            if (!ReportNames.TryParseFormat(parse.GetValue(format), out var f) || parse.GetValue(month) is < 1 or > 12)
            {
                context.Console.MarkupLine("[red]month must be 1–12 and --format one of xlsx, csv, json, html[/]");
                return 2;
            }

            await using var app = await context.StartAsync(null, ct).ConfigureAwait(false);
            var service = app.Services.GetRequiredService<ReportService>();
            return await WriteAsync(context.Console, parse.GetValue(output), parse.GetValue(charts), f, stream => service.ExportMonthlyAsync(parse.GetValue(monthYear), parse.GetValue(month), f, stream, ct), ct).ConfigureAwait(false);
        });

        return new Command("report", "Export the tertial or monthly report, or fix a tertial report.") { tertial, monthly, fix };
    }

    private static async Task<int> WriteAsync(
        IAnsiConsole console, string? path, string? chartsDirectory, ReportFormat format, Func<Stream, Task<ReportDocument>> export, CancellationToken ct)
    {
        // Written to memory first, so a failed export leaves no half-written file behind.
        using var buffer = new MemoryStream();
        var report = await export(buffer).ConfigureAwait(false);
        var file = path ?? ReportNames.FileName(report, format);
        await File.WriteAllBytesAsync(file, buffer.ToArray(), ct).ConfigureAwait(false);
        console.WriteLine($"Wrote {file} ({buffer.Length:N0} bytes).");
        if (chartsDirectory is not null)
        {
            var files = await Reports.Export.ReportChartFiles.WriteAsync(report, chartsDirectory, ct).ConfigureAwait(false);
            console.WriteLine($"Wrote {files.Count / 2} charts (PNG and SVG) to {chartsDirectory}.");
        }

        return 0;
    }
}
