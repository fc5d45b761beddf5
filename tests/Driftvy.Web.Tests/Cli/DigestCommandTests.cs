using Driftvy.Web.Cli;
using MimeKit;

namespace Driftvy.Web.Tests.Cli;

/// <summary><c>driftvy digest</c>: a preview of one day's steering digest as an e-mail file.</summary>
public sealed class DigestCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("driftvy-cli-digest-").FullName;

    private Dictionary<string, string?> Settings => new() { ["Storage:DataDirectory"] = _data };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Digest_DateAndOut_WritesTheDaysDigestAsAnEmailFile()
    {
        var file = Path.Combine(_data, "digest.eml");

        var exit = await CliHost.RunAsync(["digest", "--date", "2026-11-27", "--out", file], Settings);
        var neither = await CliHost.RunAsync(["digest", "--date", "2026-11-27"], Settings);

        Assert.Equal((0, 2), (exit, neither));
        using var message = await MimeMessage.LoadAsync(file, Ct);
        Assert.Equal("Driftvy: styrning fredag 27 nov 2026 mot mål", message.Subject);
        // An empty database: every queue and team is listed, each measure without a value says so.
        Assert.Contains("Kontaktcenter Stockholm", message.TextBody ?? "", StringComparison.Ordinal);
        Assert.Contains("Äldre direkt", System.Net.WebUtility.HtmlDecode(message.HtmlBody ?? ""), StringComparison.Ordinal);
        Assert.Contains("– ingen mätning", message.TextBody ?? "", StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A host that is still stopping may hold its database file a moment longer; the folder is temporary.
        }
    }
}
