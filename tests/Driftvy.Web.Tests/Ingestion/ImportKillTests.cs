using Driftvy.Domain.Calendar;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>
/// <c>driftvy import</c> as a real process, killed (SIGKILL, no chance to clean up) while it is storing a
/// large file, then run again: the facts and the day buckets count every contact exactly once.
/// </summary>
public sealed partial class ImportKillTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private const int Contacts = 200_000;
    private const int AlreadyStored = Contacts / 4;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "driftvy-kill-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 08:00 UTC the day before the host's pinned clock.
    private static DateTimeOffset Day => TestClock.OrdinaryMorning.AddDays(-1).AddMinutes(-30);

    [Fact]
    public async Task Import_KilledWhileStoringOnSqlite_RerunStoresAndFoldsEveryContactOnce()
    {
        Directory.CreateDirectory(_folder);
        var environment = new Dictionary<string, string> { ["Storage__DataDirectory"] = _folder };

        var (stored, folded, batches) = await KillAndRerunAsync(environment, postgresConnection: null);

        Assert.Equal((Contacts, Contacts, Contacts, 2L), (stored.Count, stored.Distinct, folded, batches));
    }

    [Fact]
    public async Task Import_KilledWhileStoringOnPostgres_RerunStoresAndFoldsEveryContactOnce()
    {
        Requirements.Require(postgres.Available, "PostgreSQL", "apt-get install postgresql");
        Directory.CreateDirectory(_folder);
        var connection = await postgres.CreateDatabaseAsync();
        var environment = new Dictionary<string, string> { ["Storage__DataDirectory"] = _folder, ["ConnectionStrings__Postgres"] = connection };

        var (stored, folded, batches) = await KillAndRerunAsync(environment, connection);

        Assert.Equal((Contacts, Contacts, Contacts, 2L), (stored.Count, stored.Distinct, folded, batches));
    }

    /// <summary>
    /// A quarter of the file is committed by an earlier import (an overlapping export); the whole file is
    /// then imported and killed half-way, and imported again. Returns the stored facts, the contacts a
    /// fresh host folds into the day bucket, and the committed imports.
    /// </summary>
    private async Task<((int Count, int Distinct) Stored, long Folded, long Batches)> KillAndRerunAsync(
        Dictionary<string, string> environment, string? postgresConnection)
    {
        var all = Path.Combine(_folder, "contacts.csv");
        var first = Path.Combine(_folder, "contacts-first-quarter.csv");
        var csv = IngestionTestHost.ContactsCsv(Contacts, Day);
        await File.WriteAllTextAsync(all, csv, Ct);
        await File.WriteAllLinesAsync(first, csv.Split('\n').Take(AlreadyStored + 1), Ct);

        var earlier = await RunImportAsync(first, environment, killWhileStoring: false);
        Assert.True(earlier.ExitCode == 0, earlier.Output);

        var killed = await RunImportAsync(all, environment, killWhileStoring: true);
        Assert.True(killed.Killed, "the import ended before it could be killed while storing:\n" + killed.Output);
        // Whatever the kill left, every stored day's tally agrees with its facts.
        var verified = await RunCliAsync(["verify", "--from", StockholmTime.LocalDate(Day).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)], environment, killWhileStoring: false);
        Assert.True(verified.ExitCode == 0, verified.Output);

        var rerun = await RunImportAsync(all, environment, killWhileStoring: false);
        Assert.True(rerun.ExitCode == 0, rerun.Output);
        Assert.Contains($"{Contacts - AlreadyStored:N0} new, 0 updated, {AlreadyStored:N0} duplicate", rerun.Output, StringComparison.Ordinal);

        // A host started afterwards folds the stored facts at start-up, as the running host would at its catch-up.
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder }, postgresConnection);
        _ = app.Imports();
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(Patience, Ct);
        var store = app.Services.GetRequiredService<IAggregateStore>();
        var offered = await app.OfferedOnAsync("kc-stockholm", Day, Ct);
        var stored = await app.WithDbAsync(async db => (await db.Contacts.CountAsync(Ct), await db.Contacts.Select(c => c.ContactId).Distinct().CountAsync(Ct)), Ct);
        var batches = await app.WithDbAsync(db => db.IngestBatches.LongCountAsync(Ct), Ct);
        Assert.Equal(await app.WithDbAsync(db => db.Contacts.MaxAsync(c => c.Seq, Ct), Ct), await store.ReadWatermarkAsync(Ct));
        return (stored, offered, batches);
    }

    /// <summary>
    /// Runs <c>dotnet Driftvy.Web.dll import contacts FILE</c>. With <paramref name="killWhileStoring"/> the process
    /// is killed by its id as soon as its progress shows rows being stored.
    /// </summary>
    private Task<(int? ExitCode, bool Killed, string Output)> RunImportAsync(string file, Dictionary<string, string> environment, bool killWhileStoring) =>
        RunCliAsync(["import", "contacts", file], environment, killWhileStoring);

    private async Task<(int? ExitCode, bool Killed, string Output)> RunCliAsync(string[] args, Dictionary<string, string> environment, bool killWhileStoring)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { typeof(Program).Assembly.Location }.Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var storing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            output.Enqueue(line);
            if (StoringProgress().Match(line) is { Success: true } m && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                storing.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var killed = false;
        try
        {
            if (killWhileStoring && await Task.WhenAny(storing.Task, process.WaitForExitAsync(Ct), Task.Delay(Patience, Ct)) == storing.Task)
            {
                process.Kill(entireProcessTree: true);
                killed = true;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(Patience);
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (killed ? null : process.ExitCode, killed, string.Join('\n', output));
    }

    /// <summary>The host the test runs under (the SDK sets DOTNET_HOST_PATH for the processes it starts), else dotnet on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : Requirements.Find("dotnet") ?? "dotnet";

    [GeneratedRegex(@"storing .*?(\d+)%")]
    private static partial Regex StoringProgress();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
