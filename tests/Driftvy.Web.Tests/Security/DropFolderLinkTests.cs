using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>The drop folder never leaves its root: no linked folder or file is read, and nothing is moved outside.</summary>
public sealed class DropFolderLinkTests : IDisposable
{
    private const string Volumes = "date;team;kind;count\n2026-11-02;lr;supplier_invoice;410\n";

    private readonly string _outside = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "driftvy-outside-" + Guid.NewGuid().ToString("N"))).FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ScanOnceAsync_SourceFolderIsALink_NothingOutsideIsReadOrMoved()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Server;
        var drops = app.Services.GetRequiredService<DropFolderService>();
        Directory.CreateDirectory(drops.Root);
        var outsideFile = Path.Combine(_outside, "volumes-2026-11.csv");
        await File.WriteAllTextAsync(outsideFile, Volumes, Ct);
        Directory.CreateSymbolicLink(Path.Combine(drops.Root, "agresso"), _outside);

        var outcomes = await drops.ScanOnceAsync(Ct);

        Assert.Empty(outcomes);
        Assert.True(File.Exists(outsideFile), "the file outside the drop folder stays where it is");
        Assert.False(Directory.Exists(Path.Combine(_outside, DropFolderService.Processed)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Volumes.CountAsync(Ct), Ct));
    }

    [Fact]
    public async Task ScanOnceAsync_FileIsALink_RejectedUnreadAndItsTargetLeftAlone()
    {
        await using var app = IngestionTestHost.Create();
        _ = app.Server;
        var drops = app.Services.GetRequiredService<DropFolderService>();
        var folder = Directory.CreateDirectory(Path.Combine(drops.Root, "agresso")).FullName;
        var outsideFile = Path.Combine(_outside, "secret.csv");
        await File.WriteAllTextAsync(outsideFile, Volumes, Ct);
        File.CreateSymbolicLink(Path.Combine(folder, "volumes-2026-11.csv"), outsideFile);

        var outcome = Assert.Single(await drops.ScanOnceAsync(Ct));

        Assert.Null(outcome.Result);
        Assert.Equal(0, await app.WithDbAsync(db => db.Volumes.CountAsync(Ct), Ct));
        Assert.Equal(Volumes, await File.ReadAllTextAsync(outsideFile, Ct));
        var errors = await File.ReadAllTextAsync(outcome.MovedTo + ".errors.txt", Ct);
        Assert.Contains("symbolic link", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("410", errors, StringComparison.Ordinal);
        Assert.StartsWith(Path.Combine(folder, DropFolderService.Rejected), outcome.MovedTo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenRead_PathIsALink_IsRefusedWithoutReadingTheTarget()
    {
        var target = Path.Combine(_outside, "target.csv");
        await File.WriteAllTextAsync(target, Volumes, Ct);
        var link = Path.Combine(_outside, "link.csv");
        File.CreateSymbolicLink(link, target);

        var refused = Assert.Throws<IOException>(() => NoFollowFile.OpenRead(link));
        await using var plain = NoFollowFile.OpenRead(target);

        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Volumes.Length, plain.Length);
    }

    public void Dispose() => Directory.Delete(_outside, recursive: true);
}
