using System.Text;
using Driftvy.Web.Sources.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>The drop folder: files committed whole and moved to processed/ or rejected/ with their errors.</summary>
public sealed class DropFolderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ScanOnceAsync_GoodFile_CommittedAndMovedToProcessed()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Server;
        var drops = app.Services.GetRequiredService<DropFolderService>();
        var folder = Directory.CreateDirectory(Path.Combine(drops.Root, "agresso")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "volumes-2026-11.csv"), "date;team;kind;count\n2026-11-02;lr;supplier_invoice;410\n", Ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not data", Ct);

        var outcome = Assert.Single(await drops.ScanOnceAsync(Ct));

        Assert.Equal(1, outcome.Result!.Accepted);
        Assert.True(File.Exists(Path.Combine(folder, DropFolderService.Processed, "volumes-2026-11.csv")));
        Assert.False(File.Exists(Path.Combine(folder, "volumes-2026-11.csv")));
        Assert.True(File.Exists(Path.Combine(folder, "notes.txt")));
        Assert.Equal("agresso", (await app.WithDbAsync(db => db.Volumes.SingleAsync(Ct), Ct)).Source);
    }

    [Fact]
    public async Task ScanOnceAsync_FileStillBeingWritten_TakenOnlyOnceUnchangedForTheSettleTime()
    {
        var time = TestClock.Frozen(TestClock.OrdinaryMorning);
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Ingestion:DropFolder:SettleTime"] = "00:00:02" }, time: time);
        _ = app.Server;
        var drops = app.Services.GetRequiredService<DropFolderService>();
        var folder = Directory.CreateDirectory(Path.Combine(drops.Root, "agresso")).FullName;
        var file = Path.Combine(folder, "volumes-2026-10.csv");
        await File.WriteAllTextAsync(file, "date;team;kind;count\n2026-10-12;lr;supplier_invoice;410\n", Ct);

        Assert.Empty(await drops.ScanOnceAsync(Ct));
        time.Advance(TimeSpan.FromSeconds(1));
        // The sender appends a row: the file has changed, so its two seconds start again.
        await File.AppendAllTextAsync(file, "2026-10-13;lr;supplier_invoice;395\n", Ct);
        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(1));
        Assert.Empty(await drops.ScanOnceAsync(Ct));
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Empty(await drops.ScanOnceAsync(Ct));
        time.Advance(TimeSpan.FromSeconds(0.5));

        var outcome = Assert.Single(await drops.ScanOnceAsync(Ct));

        Assert.Equal(2, outcome.Result!.Accepted);
    }

    [Fact]
    public async Task ScanOnceAsync_BadFile_MovedToRejectedWithErrorsAndNothingStored()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Server;
        var drops = app.Services.GetRequiredService<DropFolderService>();
        var folder = Directory.CreateDirectory(Path.Combine(drops.Root, "agresso")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "volumes-2026-11.csv"), "date,team,kind,count\n2026-11-02,lr,supplier_invoice,410\n2026-11-03,lr,supplier_invoice,-4\n", Ct);

        await drops.ScanOnceAsync(Ct);

        var rejected = Path.Combine(folder, DropFolderService.Rejected, "volumes-2026-11.csv");
        Assert.True(File.Exists(rejected));
        Assert.Equal(["line 3, column count: negative count -4 is not allowed"], await File.ReadAllLinesAsync(rejected + ".errors.txt", Ct));
        Assert.Equal("0,0,0,0,0,0,0,0,0", await app.TableCountsAsync(Ct));
    }

    [Fact]
    public async Task ScanOnceAsync_SameFileDroppedAgain_EveryRowCountsOnce()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Server;
        var drops = app.Services.GetRequiredService<DropFolderService>();
        var folder = Directory.CreateDirectory(Path.Combine(drops.Root, "telia-ace")).FullName;
        var csv = IngestionTestHost.ContactsCsv(25, TestClock.OrdinaryMorning.AddMinutes(30));
        await File.WriteAllTextAsync(Path.Combine(folder, "contacts-1.csv"), csv, Ct);
        await drops.ScanOnceAsync(Ct);

        // As after a crash between commit and move: the same file is back in the folder.
        await File.WriteAllTextAsync(Path.Combine(folder, "contacts-1.csv"), csv, Ct);
        var again = Assert.Single(await drops.ScanOnceAsync(Ct));

        Assert.Equal((0, 25), (again.Result!.Accepted, again.Result.Duplicates));
        Assert.Equal(25, await app.WithDbAsync(db => db.Contacts.CountAsync(Ct), Ct));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder, DropFolderService.Processed)).Length);
    }

    [Fact]
    public async Task ScanOnceAsync_FileNameWithoutKind_Rejected()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Server;
        var drops = app.Services.GetRequiredService<DropFolderService>();
        var folder = Directory.CreateDirectory(Path.Combine(drops.Root, "agresso")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, "export.csv"), Encoding.UTF8.GetBytes("date,team,kind,count\n"), Ct);

        await drops.ScanOnceAsync(Ct);

        var errors = await File.ReadAllTextAsync(Path.Combine(folder, DropFolderService.Rejected, "export.csv.errors.txt"), Ct);
        Assert.Contains("must start with the kind", errors, StringComparison.Ordinal);
    }
}
