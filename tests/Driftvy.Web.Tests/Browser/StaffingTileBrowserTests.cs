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
                  "id": "bemanning", "title": "Bemanning", "columns": 2,
                  "tiles": [
                    { "kind": "staffing", "queue": "kc-stockholm", "title": "Bemanning nu", "kpi": "kc_answered_within_1_min" },
                    { "queue": "kc-stockholm", "title": "Samtal mot förväntat", "kpi": "kc_answered_within_1_min", "window": "today" }
                  ]
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
            const string Line = "(document.querySelector('.tile[data-kind=staffing] [data-field=staffing-line]') || {}).textContent || ''";
            const string Figures = @"/^Behov \d+ · Inne \d+ · (−|\+|±)\d+$/";
            await page.WaitForFunctionAsync($"() => {Figures}.test({Line})", null, new() { Timeout = 30000 });
            var tile = page.Locator(".tile[data-kind=staffing]");
            var line = tile.Locator("[data-field=staffing-line]");
            var first = await line.InnerTextAsync();
            AssertColouredByGap(first, await tile.GetAttributeAsync("data-status"));
            Assert.Matches(@"^Dagen slutar på [\d,]+\s%\s\(mål 85\s%\)$", await tile.Locator("[data-field=staffing-projection]").InnerTextAsync());

            // Forty-five minutes on: the simulator's calls and roster move on (the lunch breaks start at 11:00), and the
            // tile follows on the next push.
            ((FakeTimeProvider)app.Time).Advance(TimeSpan.FromMinutes(45));
            await page.WaitForFunctionAsync(
                $"first => {{ const t = {Line}; return t !== first && {Figures}.test(t); }}",
                first, new() { Timeout = 30000 });
            var second = await line.InnerTextAsync();
            Assert.NotEqual(first, second);
            AssertColouredByGap(second, await tile.GetAttributeAsync("data-status"));

            // One tap: the method and its inputs.
            var details = tile.Locator("[data-field=staffing-details]");
            Assert.True(await details.IsHiddenAsync());
            await line.ClickAsync();
            Assert.True(await details.IsVisibleAsync());
            var text = await details.InnerTextAsync();
            Assert.Contains("Hanteringstid", text, StringComparison.Ordinal);
            Assert.Matches("erlang_[ac]", text);
            Assert.Contains("expected curve", text, StringComparison.Ordinal);
            Assert.Equal("true", await line.GetAttributeAsync("aria-expanded"));
            // Opened, as on the shipped boards' "Bemanning" page: it fits, is legible and keeps its contrast.
            // Checked once the page has settled: the chart beside it re-lays itself out on each push.
            var overflow = await page.EvaluateAsync<string[]>(BrowserChecks.Overflow);
            for (var settle = 0; settle < 15 && overflow.Length > 0; settle++)
            {
                await Task.Delay(200, Ct);
                overflow = await page.EvaluateAsync<string[]>(BrowserChecks.Overflow);
            }

            Assert.True(overflow.Length == 0, string.Join("; ", overflow));
            var small = await page.EvaluateAsync<string[]>(BrowserChecks.SmallText, 18.0);
            Assert.True(small.Length == 0, string.Join("; ", small));
            var contrast = await page.EvaluateAsync<string[]>(BrowserChecks.Contrast);
            Assert.True(contrast.Length == 0, string.Join("; ", contrast));
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
