using System.Text;
using System.Text.Json;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Steering;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Tests.Dashboard;

/// <summary>
/// The snapshot is a wire contract: the wall screen's code is typed against it. Every board, built at one frozen
/// instant from a fixed set of facts (queue tiles with and without charts, staffing tiles, back-office tiles, notes,
/// live states that are fresh, stale and missing), must serialise byte for byte as the golden file recorded it.
/// A change to the file is a change to the contract, and the screens' types must change with it.
/// </summary>
public sealed class BoardSnapshotWireTests
{
    // A Monday mid-morning in November: the example files' day.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 15, 5, TimeSpan.FromHours(1));
    private static readonly string GoldenPath = Path.Combine(RepositoryRoot(), "tests", "Driftvy.Web.Tests", "Dashboard", "Golden", "board-snapshots.jsonl");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BuildAsync_EveryBoardWithRepresentativeFacts_SerialisesAsTheGoldenFile()
    {
        await using var app = IngestionTestHost.Create(time: TestClock.Frozen(Now));
        await SeedAsync(app);
        var service = app.Services.GetRequiredService<BoardSnapshotService>();
        var hubJson = app.Services.GetRequiredService<IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions;
        var httpJson = app.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        var lines = new StringBuilder();
        foreach (var board in app.Services.GetRequiredService<BoardCatalog>().All.OrderBy(b => b.Id, StringComparer.Ordinal))
        {
            // The push number counts the pushes the seeding set off, which background loops may add to: not part of the contract's content.
            var snapshot = (await service.BuildAsync(board.Id, Ct))! with { Seq = 0 };
            var hub = JsonSerializer.Serialize(snapshot, hubJson);
            Assert.Equal(hub, JsonSerializer.Serialize(snapshot, httpJson));
            lines.Append(hub).Append('\n');
        }

        var actual = lines.ToString();
        var expected = await File.ReadAllTextAsync(GoldenPath, Ct);
        if (actual != expected)
        {
            var written = Path.Combine(Path.GetTempPath(), $"board-snapshots-{Guid.NewGuid():N}.jsonl");
            await File.WriteAllTextAsync(written, actual, Ct);
            Assert.Fail($"The snapshots differ from the golden file; this run's are in {written}. First difference at character {FirstDifference(expected, actual)}.");
        }

        // The file covers what it claims to cover.
        var tiles = actual.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(l => JsonDocument.Parse(l).RootElement.GetProperty("tiles").EnumerateArray().Select(t => t.Clone())).ToList();
        Assert.Equal(["queue", "staffing", "team"], tiles.Select(t => t.GetProperty("kind").GetString()).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(tiles, t => t.GetProperty("stale").GetBoolean() && t.GetProperty("dataAsOf").ValueKind == JsonValueKind.Null);
        Assert.Contains(tiles, t => t.GetProperty("stale").GetBoolean() && t.GetProperty("dataAsOf").ValueKind == JsonValueKind.String);
        Assert.Contains(tiles, t => !t.GetProperty("stale").GetBoolean() && t.GetProperty("waiting").ValueKind == JsonValueKind.Number);
        Assert.Contains(tiles, t => t.GetProperty("annotations").GetArrayLength() > 1);
        Assert.Contains(tiles, t => t.GetProperty("intraday").GetArrayLength() > 0);
        Assert.Contains(tiles, t => t.GetProperty("staffing").ValueKind == JsonValueKind.Object);
        Assert.Contains(tiles, t => t.GetProperty("value").ValueKind == JsonValueKind.Number && t.GetProperty("target").ValueKind == JsonValueKind.Number);
    }

    private static async Task SeedAsync(DriftvyAppFactory app)
    {
        await app.Services.GetRequiredService<AggregateStatus>().WhenReady.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        foreach (var file in new[] { "contacts.csv", "contacts.json", "cases.csv", "volumes.csv", "staffing.csv" })
        {
            Assert.True(IngestKinds.TryParse(file.Split('.')[0], out var kind));
            var result = await app.Imports().ImportAsync(
                new ImportRequest(kind, "example", file), await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot(), "seed", "examples", file), Ct), null, Ct);
            Assert.True(result.Committed, string.Join("; ", result.Errors));
        }

        // Calls in the last half hour (the staffing tiles' arrival rate) and November's staff for the month tiles.
        Assert.True((await app.ImportTextAsync(IngestKind.Contacts, IngestionTestHost.ContactsCsv(24, Now.AddMinutes(-29), "wire-"), Ct)).Committed);
        Assert.True((await app.ImportTextAsync(IngestKind.Staffing, "month,team,fte\n2026-11,lr,18\n2026-11,lon,23.5\n", Ct)).Committed);

        // Live states: kc-stockholm fresh, aldre-direkt stale, leverantorsreskontra fresh, lon-pension never seen.
        Assert.True((await app.ImportTextAsync(IngestKind.Snapshots,
            "at,queue,waiting,longest_wait_s,agents_available,agents_busy,agents_away\n"
            + "2026-11-23T10:15:00+01:00,kc-stockholm,7,84,2,14,3\n"
            + "2026-11-23T10:02:00+01:00,aldre-direkt,3,121,0,8,1\n"
            + "2026-11-23T10:15:00+01:00,leverantorsreskontra,1,35,1,2,1\n", Ct)).Committed);

        var notes = app.Services.GetRequiredService<AnnotationService>();
        await notes.AddAsync(new NewAnnotation(null, Now.AddHours(-2), null, "Driftstörning i växeln 08:00–08:20"), Ct);
        await notes.AddAsync(new NewAnnotation("kc-stockholm", Now.AddHours(-1), Now.AddMinutes(-30), "Utbildning: halva gruppen borta"), Ct);
        await notes.AddAsync(new NewAnnotation("lr", Now.AddMinutes(-5), null, "Leverantörsfakturor från ny skanner"), Ct);
    }

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
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
