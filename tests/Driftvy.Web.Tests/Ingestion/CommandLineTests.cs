using Driftvy.Web.Cli;
using Driftvy.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary><c>driftvy import</c> and <c>driftvy apikey</c> against a data folder of their own.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "driftvy-cli-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings => new() { ["Storage:DataDirectory"] = _data };

    [Fact]
    public async Task RunAsync_ImportGoodThenBadFile_ExitCodesAndOnlyTheGoodRowsStored()
    {
        Directory.CreateDirectory(_data);
        var good = Path.Combine(_data, "volumes.csv");
        var bad = Path.Combine(_data, "volumes-bad.csv");
        await File.WriteAllTextAsync(good, "date,team,kind,count\n2026-11-02,avgifter,preschool_invoice,3120\n", Ct);
        await File.WriteAllTextAsync(bad, "date,team,kind,count\n2026-11-03,avgifter,preschool_invoice,-1\n", Ct);

        var ok = await CliHost.RunAsync(["import", "volumes", good, "--source", "agresso"], Settings);
        var refused = await CliHost.RunAsync(["import", "volumes", bad], Settings);
        var unknownKind = await CliHost.RunAsync(["import", "invoices", good], Settings);

        Assert.Equal((0, 1, 2), (ok, refused, unknownKind));
        await using var app = new DriftvyAppFactory(dataDirectory: _data);
        var volumes = await app.WithDbAsync(db => db.Volumes.ToListAsync(Ct), Ct);
        Assert.Equal(("agresso", 3120), (Assert.Single(volumes).Source, volumes[0].Count));
    }

    [Fact]
    public async Task RunAsync_ApiKeyCreateAndRevoke_StoresOnlyTheHashAndRevokes()
    {
        Directory.CreateDirectory(_data);

        var created = await CliHost.RunAsync(["apikey", "create", "agresso"], Settings);
        var revoked = await CliHost.RunAsync(["apikey", "revoke", "1"], Settings);
        var missing = await CliHost.RunAsync(["apikey", "revoke", "99"], Settings);

        Assert.Equal((0, 0, 1), (created, revoked, missing));
        await using var app = new DriftvyAppFactory(dataDirectory: _data);
        var key = await app.WithDbAsync(db => db.ApiKeys.SingleAsync(Ct), Ct);
        Assert.Equal(("agresso", 64), (key.Source, key.KeyHash.Length));
        Assert.NotNull(key.RevokedAtMs);
    }

    [Fact]
    public void IsCommand_VerbsAndOtherArguments_OnlyVerbsRunTheCommandLine()
    {
        Assert.True(CliHost.IsCommand(["import", "contacts", "x.csv"]));
        Assert.True(CliHost.IsCommand(["apikey", "list"]));
        Assert.False(CliHost.IsCommand([]));
        Assert.False(CliHost.IsCommand(["--urls", "http://127.0.0.1:5081"]));
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
