using System.Text.RegularExpressions;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Driftvy.Web.Tests.Browser;

/// <summary>The staffing tile on a wall screen: "Behov N · Inne M · gap", coloured by the gap, moving with the simulator's calls.</summary>
public sealed partial class StaffingTileBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StaffingTile_SimulatorFeedsCalls_NeedAgainstAgentsInMovesAndTheMethodIsOneTapAway()
    {
        var folder = Directory.CreateTempSubdirectory("driftvy-boards-").FullName;
        try
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "dashboards", "kontaktcenter.json"), Path.Combine(folder, "kontaktcenter.json"));
            await File.WriteAllTextAsync(Path.Combine(folder, "bemanning.json"), """
                {
                  "id": "bemanning", "title": "Bemanning",
                  "tiles": [ { "kind": "staffing", "queue": "kc-stockholm", "title": "Bemanning nu", "kpi": "kc_answered_within_1_min" } ]
                }
                """, Ct);
            var settings = new Dictionary<string, string?>
            {
                ["Dashboards:Directory"] = folder,
                ["Sources:Telephony:Enabled"] = "true",
                ["Sources:Telephony:PollInterval"] = "00:00:01",
                ["Sources:Telephony:StaleAfterIntervals"] = "60",
            };
            await using var app = new DriftvyAppFactory(settings, kestrelPort: Requirements.FreePort());
            app.StartServer();
            var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);

            await page.GotoAsync(new Uri(app.KestrelAddress, "/boards/bemanning").ToString());
            const string HasFigures = @"() => /^Behov \d+ · Inne \d+ · (−|\+|±)\d+$/.test(document.querySelector('[data-field=staffing-line]').textContent)";
            await page.WaitForFunctionAsync(HasFigures, null, new() { Timeout = 30000 });
            var line = page.Locator("[data-field=staffing-line]");
            var first = await line.InnerTextAsync();
            AssertColouredByGap(first, await page.Locator(".tile").GetAttributeAsync("data-status"));
            Assert.Matches(@"^Dagen slutar på [\d,]+\s%\s\(mål 85\s%\)$", await page.Locator("[data-field=staffing-projection]").InnerTextAsync());

            // Forty-five minutes on: the simulator's calls and roster move on (the lunch breaks start at 11:00), and the
            // tile follows on the next push.
            ((FakeTimeProvider)app.Time).Advance(TimeSpan.FromMinutes(45));
            await page.WaitForFunctionAsync(
                "first => { const t = document.querySelector('[data-field=staffing-line]').textContent; return t !== first && " + HasFigures[6..] + "; }",
                first, new() { Timeout = 30000 });
            var second = await line.InnerTextAsync();
            Assert.NotEqual(first, second);
            AssertColouredByGap(second, await page.Locator(".tile").GetAttributeAsync("data-status"));

            // One tap: the method and its inputs.
            var details = page.Locator("[data-field=staffing-details]");
            Assert.True(await details.IsHiddenAsync());
            await line.ClickAsync();
            Assert.True(await details.IsVisibleAsync());
            var text = await details.InnerTextAsync();
            Assert.Contains("Hanteringstid", text, StringComparison.Ordinal);
            Assert.Matches("erlang_[ac]", text);
            Assert.Contains("expected curve", text, StringComparison.Ordinal);
            Assert.Equal("true", await line.GetAttributeAsync("aria-expanded"));
            await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath("staffing-tile-1920x1080.png") });
            Assert.Empty(errors);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void AssertColouredByGap(string line, string? status)
    {
        var gap = Gap().Match(line);
        Assert.True(gap.Success, line);
        var n = int.Parse(gap.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var expected = gap.Groups["sign"].Value == "−" ? (n == 1 ? "near-target" : "off-target") : "on-target";
        Assert.True(expected == status, $"{line}: coloured {status}, expected {expected}");
    }

    [GeneratedRegex(@"· (?<sign>−|\+|±)(?<n>\d+)$")]
    private static partial Regex Gap();
}
