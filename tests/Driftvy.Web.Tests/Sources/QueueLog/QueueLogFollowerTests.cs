using Driftvy.Web.Sources;
using Driftvy.Web.Sources.QueueLog;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Sources.QueueLog;

/// <summary>The live follower: a queue_log written in pieces, rotated mid-call, read across a restart of the host.</summary>
public sealed class QueueLogFollowerTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "driftvy-qfollow-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Settings => new()
    {
        ["Ingestion:DropFolder:Enabled"] = "false",
        ["Ingestion:CatchUpInterval"] = "00:00:00",
        ["Sources:QueueLog:Queues:600"] = "kc-stockholm",
    };

    private static readonly DateTimeOffset Day = new(2026, 10, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FollowOnceAsync_PiecesRotationMidCallAndRestart_EveryCallCountedOnce()
    {
        Directory.CreateDirectory(_data);
        var lines = await File.ReadAllLinesAsync(QueueLogImportTests.Fixture, Ct);
        var path = Path.Combine(_data, "queue_log");
        var file = new QueueLogFileOptions { Source = "freepbx", Path = path };
        var open = 0;

        await using (var app = new DriftvyAppFactory(Settings, dataDirectory: _data))
        {
            _ = app.Server;
            var reader = app.Services.GetRequiredService<QueueLogReader>();

            // First piece, ending in the middle of a line Asterisk is still writing: that line waits for its end.
            await File.WriteAllTextAsync(path, string.Join('\n', lines[..400]) + "\n" + lines[400][..12], Ct);
            var first = await reader.FollowOnceAsync(file, Ct);
            Assert.NotNull(first);
            Assert.True(first.Import.Accepted > 0);

            // The rest of that line, more lines, and one line that is not queue_log: reported in health, skipped.
            await File.AppendAllTextAsync(path, lines[400][12..] + "\n" + string.Join('\n', lines[401..600]) + "\nnot a queue_log line\n" + string.Join('\n', lines[600..700]) + "\n", Ct);
            Assert.NotNull(await reader.FollowOnceAsync(file, Ct));
            Assert.Contains("line 601", app.Services.GetRequiredService<SourceHealth>().Get("freepbx")!.LastError, StringComparison.Ordinal);

            // Lines written after the last read, just before the rotation.
            await File.AppendAllTextAsync(path, string.Join('\n', lines[700..800]) + "\n", Ct);
        }

        // While the host is down, logrotate moves the file away with calls still in the queue; Asterisk starts a new one.
        File.Move(path, path + ".1");
        await File.WriteAllTextAsync(path, string.Join('\n', lines[800..]) + "\n", Ct);

        await using (var app = new DriftvyAppFactory(Settings, dataDirectory: _data))
        {
            _ = app.Server;
            var reader = app.Services.GetRequiredService<QueueLogReader>();

            var afterRestart = await reader.FollowOnceAsync(file, Ct);
            Assert.NotNull(afterRestart);
            open = afterRestart.OpenCalls;
            await reader.FollowOnceAsync(file, Ct); // nothing new in the file: the count below must not move

            var ids = await app.WithDbAsync(db => db.Contacts.Select(c => c.ContactId).ToListAsync(Ct), Ct);
            Assert.Equal(320, ids.Count); // every ended call of the day (make_freepbx_day.py: 225 answered + 95 unanswered)
            Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(320, await app.OfferedOnAsync("kc-stockholm", Day, Ct));
            var snapshot = await app.WithDbAsync(db => db.QueueSnapshots.OrderByDescending(s => s.AtMs).FirstAsync(Ct), Ct);
            Assert.Equal(1, snapshot.Waiting); // the call left waiting at the end of the day
        }

        Assert.Equal(1, open);
    }

    [Fact]
    public async Task FollowOnceAsync_CallsSpanningTwoReadsAcrossARestart_StoredOnceWithTheCallerHash()
    {
        Directory.CreateDirectory(_data);
        var path = Path.Combine(_data, "queue_log");
        var file = new QueueLogFileOptions { Source = "freepbx", Path = path };
        var t = Day.ToUnixTimeSeconds();
        // Two calls enter in the first piece; one is answered and one gives up in the second, read after a restart.
        // A third call lies wholly in the first piece: the stored hash must be the same kind as for it.
        string[] first =
        [
            $"{t}|{t}.1|600|NONE|ENTERQUEUE||0701234567|1||",
            $"{t + 5}|{t + 5}.2|600|NONE|ENTERQUEUE||+46812345678|2",
            $"{t + 6}|{t + 6}.3|600|NONE|ENTERQUEUE||0739876543|3||",
            $"{t + 9}|{t + 6}.3|600|Local/201@from-queue/n|CONNECT|3|{t + 9}.4|2||",
            $"{t + 70}|{t + 6}.3|600|Local/201@from-queue/n|COMPLETECALLER|3|61|3||",
        ];
        string[] second =
        [
            $"{t + 80}|{t}.1|600|Local/202@from-queue/n|CONNECT|80|{t + 80}.5|4||",
            $"{t + 95}|{t + 5}.2|600|NONE|ABANDON|1|2|90||",
            $"{t + 200}|{t}.1|600|Local/202@from-queue/n|COMPLETEAGENT|80|120|1||",
        ];

        await File.WriteAllTextAsync(path, string.Join('\n', first) + "\n", Ct);
        await using (var app = new DriftvyAppFactory(Settings, dataDirectory: _data))
        {
            _ = app.Server;
            var read = await app.Services.GetRequiredService<QueueLogReader>().FollowOnceAsync(file, Ct);
            Assert.Equal(2, read!.OpenCalls);
            // What waits for the next read holds the callers' hashes and masks, never their numbers.
            var state = await app.WithDbAsync(db => db.QueueLogPositions.Select(p => p.StateJson).SingleAsync(Ct), Ct);
            Assert.DoesNotContain("0701234567", state, StringComparison.Ordinal);
            Assert.DoesNotContain("812345678", state, StringComparison.Ordinal);
            Assert.Contains("070-*** ** 67", state, StringComparison.Ordinal);
        }

        await File.AppendAllTextAsync(path, string.Join('\n', second) + "\n", Ct);
        await using (var app = new DriftvyAppFactory(Settings, dataDirectory: _data))
        {
            _ = app.Server;
            var reader = app.Services.GetRequiredService<QueueLogReader>();
            Assert.Equal(0, (await reader.FollowOnceAsync(file, Ct))!.OpenCalls);
            await reader.FollowOnceAsync(file, Ct);

            var callers = app.Services.GetRequiredService<Driftvy.Web.Privacy.CallerIdentity>();
            var stored = await app.WithDbAsync(db => db.Contacts.OrderBy(c => c.ContactId).Select(c => new { c.ContactId, c.CallerHash, c.CallerMasked, c.AnsweredAtMs, c.AbandonedAtMs }).ToListAsync(Ct), Ct);
            Assert.Equal([$"{t}.1@600", $"{t + 5}.2@600", $"{t + 6}.3@600"], stored.Select(c => c.ContactId));
            Assert.Equal((callers.Hash("0701234567"), "070-*** ** 67"), (stored[0].CallerHash, stored[0].CallerMasked));
            Assert.Equal((t + 80) * 1000, stored[0].AnsweredAtMs);
            Assert.Equal((callers.Hash("+46812345678"), "081-*** ** 78"), (stored[1].CallerHash, stored[1].CallerMasked));
            Assert.Equal((t + 95) * 1000, stored[1].AbandonedAtMs);
            Assert.Equal((callers.Hash("0739876543"), "073-*** ** 43"), (stored[2].CallerHash, stored[2].CallerMasked));
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
