using Driftvy.Web.Sources.Ingestion;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary>The example files the README points to import cleanly.</summary>
public sealed class SeedExampleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("contacts.csv", 6)]
    [InlineData("contacts.json", 2)]
    [InlineData("cases.csv", 5)]
    [InlineData("volumes.csv", 5)]
    [InlineData("staffing.csv", 5)]
    [InlineData("snapshots.csv", 4)]
    public async Task ImportAsync_SeedExample_AcceptedWhole(string file, int rows)
    {
        await using var app = IngestionTestHost.Create();
        var path = Path.Combine(RepositoryRoot(), "seed", "examples", file);
        Assert.True(IngestKinds.TryParse(file.Split('.')[0], out var kind));

        var result = await app.Imports().ImportAsync(new ImportRequest(kind, "example", file), await File.ReadAllBytesAsync(path, Ct), null, Ct);

        Assert.True(result.Committed, string.Join("; ", result.Errors));
        Assert.Equal((rows, rows), (result.Rows, result.Accepted));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Driftvy.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found");
    }
}
