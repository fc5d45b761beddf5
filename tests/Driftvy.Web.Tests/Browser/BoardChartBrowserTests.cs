using Driftvy.Web.Tests.Support;
using Microsoft.Playwright;

namespace Driftvy.Web.Tests.Browser;

/// <summary>The queue tiles' intraday charts keep to their place when the screen's layout changes under them.</summary>
public sealed class BoardChartBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static readonly Dictionary<string, string?> LivePolling = new()
    {
        ["Sources:Telephony:Enabled"] = "true",
        ["Sources:Telephony:PollInterval"] = "00:00:01",
    };

    /// <summary>Every drawn chart (its time axis included) ends above its tile's legend.</summary>
    private const string ChartOverLegend = """
        () => {
          const problems = [];
          for (const tile of document.querySelectorAll('.tile.has-chart')) {
            const chart = tile.querySelector('.tile-chart .uplot');
            const legend = tile.querySelector('.chart-legend');
            if (!chart || legend.hidden) continue;
            const c = chart.getBoundingClientRect(), l = legend.getBoundingClientRect();
            if (c.bottom > l.top + 1) problems.push(tile.dataset.tile + ': chart ends at ' + Math.round(c.bottom) + ', legend starts at ' + Math.round(l.top));
          }
          return problems;
        }
        """;

    [Fact]
    public async Task WallScreen_ReconnectBannerAppears_ChartsStayAboveTheirLegends()
    {
        var app = new DriftvyAppFactory(LivePolling, kestrelPort: Requirements.FreePort());
        var stopped = false;
        try
        {
            app.StartServer();
            var (page, _) = await chromium.NewPageAsync(1920, 1080, app.Time);
            await page.GotoAsync(app.KestrelAddress.ToString());
            await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 2 && document.querySelectorAll('.tile-chart canvas').length === 4", null, new() { Timeout = 20000 });
            Assert.Empty(await page.EvaluateAsync<string[]>(ChartOverLegend));

            // The server goes away: the banner takes its line at the top and the tiles get shorter.
            await app.DisposeAsync();
            stopped = true;
            await page.Locator("#connection-banner").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 30000 });

            var settled = await Requirements.WaitUntilAsync(async () => (await page.EvaluateAsync<string[]>(ChartOverLegend)).Length == 0,
                TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath("wallscreen-banner-charts.png") });
            Assert.True(settled, "the time axis overlaps the legend: " + string.Join("; ", await page.EvaluateAsync<string[]>(ChartOverLegend)));
        }
        finally
        {
            if (!stopped)
            {
                await app.DisposeAsync();
            }
        }
    }
}
