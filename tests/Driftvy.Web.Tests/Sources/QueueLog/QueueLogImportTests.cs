using Driftvy.Web.Cli;
using Driftvy.Web.Reports;
using Driftvy.Web.Sources.QueueLog;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Sources.QueueLog;

/// <summary><c>driftvy import queue-log</c> with a synthetic FreePBX day, and the file refusals.</summary>
public sealed class QueueLogImportTests : IDisposable
{
    // The counts make_freepbx_day.py wrote the day with (its ground truth, independent of the reader under test):
    // 321 calls entered queue 600; 225 answered (142 within 60 s); 95 ended unanswered (43 within 5 s, 64 within 60 s);
    // one still waiting when the file ends.
    private const int Answered = 225;
    private const int AnsweredWithin60 = 142;
    private const int Abandoned = 95;
    private const int AbandonedWithin5 = 43;
    private const int AbandonedWithin60 = 64;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "driftvy-qlog-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static string Fixture => Path.Combine(AppContext.BaseDirectory, "Sources", "QueueLog", "freepbx-day.queue_log");

    private Dictionary<string, string?> Settings => new() { ["Storage:DataDirectory"] = _data, ["Sources:QueueLog:Queues:600"] = "kc-stockholm" };

    [Fact]
    public async Task RunAsync_ImportQueueLogOfAFreePbxDay_MonthlyReportServiceLevelsMatchTheIndependentCount()
    {
        Directory.CreateDirectory(_data);
        using var printed = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No, Interactive = Spectre.Console.InteractionSupport.No, Out = new Spectre.Console.AnsiConsoleOutput(printed),
        });
        console.Profile.Width = 400;

        var code = await CliHost.RunAsync(["import", "queue-log", Fixture, "--source", "freepbx"], Settings, TestClock.Frozen(TestClock.OrdinaryMorning), console);

        Assert.True(code == 0, printed.ToString());
        // The day the test counts itself from the raw lines, under Driftvy's definitions, is the day the generator wrote,
        // and it holds what a real day does: short and long abandons, unanswered ring rounds, a call left waiting.
        var raw = CountRawLines(await File.ReadAllLinesAsync(Fixture, Ct));
        Assert.Equal((Answered, AnsweredWithin60, Abandoned, AbandonedWithin5, AbandonedWithin60), (raw.Answered, raw.AnsweredWithin60, raw.Abandoned, raw.AbandonedWithin5, raw.AbandonedWithin60));
        Assert.True(raw.AbandonedWithin5 > 0 && raw.Abandoned - raw.AbandonedWithin60 > 0, "short and long abandons");
        Assert.True(raw.RingNoAnswer > 0, "unanswered ring rounds");
        Assert.Equal(1, raw.Waiting);
        Assert.Contains($"{raw.RingNoAnswer:N0} unanswered ring rounds", printed.ToString(), StringComparison.Ordinal);
        Assert.Contains($"{raw.Waiting} call(s) still open", printed.ToString(), StringComparison.Ordinal);
        await using var app = new DriftvyAppFactory(Settings, dataDirectory: _data);
        Assert.Equal(Answered + Abandoned, await app.WithDbAsync(db => db.Contacts.CountAsync(Ct), Ct));
        var report = await app.Services.GetRequiredService<ReportService>().MonthlyAsync(2026, 10, Ct);
        var rows = report.Divisions.Single(d => d.Id == "kontaktcenter").Rows;
        var driftvy = rows.Single(r => r.KpiId == "kc_answered_within_1_min");
        var sl = rows.Single(r => r.KpiId == "kc_asterisk_sl");
        var sl2 = rows.Single(r => r.KpiId == "kc_asterisk_sl2");

        // Driftvy: answered within 60 s ÷ (answered + abandoned after more than 5 s).
        Assert.Equal((raw.AnsweredWithin60, raw.Answered + raw.Abandoned - raw.AbandonedWithin5), (driftvy.Numerator, driftvy.Denominator));
        Assert.Equal(100.0 * raw.AnsweredWithin60 / (raw.Answered + raw.Abandoned - raw.AbandonedWithin5), driftvy.Value!.Value, 9);
        // Asterisk SL: answered within 60 s ÷ answered. SL2: (answered + abandoned within 60 s) ÷ (answered + abandoned).
        Assert.Equal(100.0 * raw.AnsweredWithin60 / raw.Answered, sl.Value!.Value, 9);
        Assert.Equal(100.0 * (raw.AnsweredWithin60 + raw.AbandonedWithin60) / (raw.Answered + raw.Abandoned), sl2.Value!.Value, 9);
    }

    /// <summary>
    /// The day counted straight from the lines, without any of Driftvy's code: a call is its uniqueid; CONNECT's first
    /// parameter is the hold time; an unanswered ending's wait is its waittime parameter, or the time since ENTERQUEUE
    /// when it has none (an older EXITWITHTIMEOUT); within X means at most X seconds.
    /// </summary>
    private static (int Answered, int AnsweredWithin60, int Abandoned, int AbandonedWithin5, int AbandonedWithin60, int RingNoAnswer, int Waiting) CountRawLines(string[] lines)
    {
        var entered = new Dictionary<string, long>(StringComparer.Ordinal);
        var hold = new Dictionary<string, long>(StringComparer.Ordinal);
        var (answered, answered60, abandoned, abandoned5, abandoned60, rings) = (0, 0, 0, 0, 0, 0);
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            var f = line.Split('|');
            var (epoch, call, ev) = (long.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), f[1], f[4]);
            var data = f[5..].Reverse().SkipWhile(d => d.Length == 0).Reverse().ToArray();
            long? Param(int i) => i < data.Length ? long.Parse(data[i], System.Globalization.CultureInfo.InvariantCulture) : null;
            switch (ev)
            {
                case "ENTERQUEUE":
                    entered[call] = epoch;
                    break;
                case "CONNECT":
                    hold[call] = Param(0)!.Value;
                    break;
                case "RINGNOANSWER":
                    rings++;
                    break;
                case "COMPLETECALLER" or "COMPLETEAGENT" or "BLINDTRANSFER" or "ATTENDEDTRANSFER":
                    answered++;
                    answered60 += hold[call] <= 60 ? 1 : 0;
                    entered.Remove(call);
                    break;
                case "ABANDON" or "EXITEMPTY" or "EXITWITHTIMEOUT" or "EXITWITHKEY":
                    var wait = (ev == "EXITWITHKEY" ? Param(3) : Param(2)) ?? epoch - entered[call];
                    abandoned++;
                    abandoned5 += wait <= 5 ? 1 : 0;
                    abandoned60 += wait <= 60 ? 1 : 0;
                    entered.Remove(call);
                    break;
            }
        }

        return (answered, answered60, abandoned, abandoned5, abandoned60, rings, entered.Count);
    }

    [Fact]
    public async Task ImportFileAsync_SameFileTwice_EveryCallCountedOnce()
    {
        await using var app = IngestionTestHost.Create(Settings);
        var reader = app.Services.GetRequiredService<QueueLogReader>();
        _ = app.Server;

        var first = await reader.ImportFileAsync(Fixture, "freepbx", fold: true, Ct);
        var second = await reader.ImportFileAsync(Fixture, "freepbx", fold: true, Ct);

        Assert.Equal((Answered + Abandoned, 0), (first.Import.Accepted, first.Import.Duplicates));
        Assert.Equal((0, Answered + Abandoned), (second.Import.Accepted, second.Import.Duplicates));
        Assert.Equal(Answered + Abandoned + 1, await app.OfferedOnAsync("kc-stockholm", new DateTimeOffset(2026, 10, 14, 12, 0, 0, TimeSpan.Zero), Ct) + first.OpenCalls);
    }

    [Fact]
    public async Task ImportFileAsync_MalformedLine_RefusesTheFileNamingTheLine()
    {
        await using var app = IngestionTestHost.Create(Settings);
        var reader = app.Services.GetRequiredService<QueueLogReader>();
        _ = app.Server;
        var lines = await File.ReadAllLinesAsync(Fixture, Ct);
        lines[499] = "1791970000|x|600|NONE"; // line 500: four fields
        var path = Path.Combine(app.DataDirectory, "queue_log");
        await File.WriteAllLinesAsync(path, lines, Ct);
        var before = await app.TableCountsAsync(Ct);

        var result = await reader.ImportFileAsync(path, "freepbx", fold: true, Ct);

        Assert.False(result.Import.Committed);
        Assert.Equal(500, Assert.Single(result.Import.Errors).Line);
        Assert.Equal(before, await app.TableCountsAsync(Ct));
    }

    [Theory]
    [InlineData("Reject", false)]
    [InlineData("Register", true)]
    public async Task ImportFileAsync_UnmappedQueue_FollowsUnknownUnits(string policy, bool stored)
    {
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Ingestion:UnknownUnits"] = policy });
        var reader = app.Services.GetRequiredService<QueueLogReader>();
        _ = app.Server;
        var path = Path.Combine(app.DataDirectory, "queue_log");
        await File.WriteAllLinesAsync(path, ["1791960000|9.1|700|NONE|ENTERQUEUE||070", "1791960009|9.1|700|NONE|ABANDON|1|1|9"], Ct);

        var result = await reader.ImportFileAsync(path, "freepbx", fold: true, Ct);

        Assert.Equal(stored, result.Import.Committed);
        if (!stored)
        {
            var error = Assert.Single(result.Import.Errors);
            Assert.Equal(2, error.Line);
            Assert.Contains("Sources:QueueLog:Queues:700", error.Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(1, await app.OfferedOnAsync("700", new DateTimeOffset(2026, 10, 14, 12, 0, 0, TimeSpan.Zero), Ct));
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
