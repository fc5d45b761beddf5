using Driftvy.Web.Cli;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Security;

/// <summary>Secrets and the database readable by the service's account only; no default password; no odd source ids from the command line.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Start_CreatesTheCallerHashKeyAndTheDatabaseOwnerOnly()
    {
        await using var app = new DriftvyAppFactory();
        _ = app.Server;

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(app.DataDirectory, "caller-hash.key")));
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(Path.Combine(app.DataDirectory, "driftvy.db")) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
    }

    [Fact]
    public async Task Start_ExistingWorldReadableKey_IsRestricted()
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "driftvy-test-" + Guid.NewGuid().ToString("N"))).FullName;
        var key = Path.Combine(data, "caller-hash.key");
        await File.WriteAllTextAsync(key, Convert.ToBase64String(new byte[32]), Ct);
        File.SetUnixFileMode(key, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        try
        {
            await using var app = new DriftvyAppFactory(dataDirectory: data);
            _ = app.Server;

            Assert.Equal(OwnerOnly, File.GetUnixFileMode(key));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void DockerCompose_HasNoDefaultPassword()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Driftvy.sln")))
        {
            dir = dir.Parent;
        }

        var compose = File.ReadAllText(Path.Combine(dir!.FullName, "docker-compose.yml"));

        Assert.DoesNotContain("change-me", compose, StringComparison.Ordinal);
        Assert.DoesNotContain(":-", compose.Split('\n').Where(l => l.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase)).Aggregate("", string.Concat), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../Evil")]
    [InlineData("Agresso")]
    [InlineData("")]
    public async Task CliImport_SourceThatIsNotAnId_RefusedBeforeAnythingIsStored(string source)
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "driftvy-test-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var file = Path.Combine(data, "volumes.csv");
            await File.WriteAllTextAsync(file, "date;team;kind;count\n2026-10-12;lr;supplier_invoice;410\n", Ct);

            var exit = await CliHost.RunAsync(["import", "volumes", file, "--source", source], new Dictionary<string, string?> { ["Storage:DataDirectory"] = data });

            Assert.Equal(2, exit);
            Assert.False(File.Exists(Path.Combine(data, "driftvy.db")), "nothing was started or stored");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task CliApiKeyCreate_SourceThatIsNotAnId_RefusedAndNoKeyStored()
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "driftvy-test-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var exit = await CliHost.RunAsync(["apikey", "create", "../Evil"], new Dictionary<string, string?> { ["Storage:DataDirectory"] = data });

            Assert.Equal(2, exit);
            await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "driftvy.db")};Mode=ReadOnly");
            await db.OpenAsync(Ct);
            await using var count = db.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM api_keys";
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync(Ct))!);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
