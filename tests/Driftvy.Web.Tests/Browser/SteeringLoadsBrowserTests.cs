using System.Text.RegularExpressions;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Browser;

/// <summary>The steering page's loads in a real browser: one at a time, and the latest request wins.</summary>
public sealed partial class SteeringLoadsBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"/api/steering\?date=")]
    private static partial Regex SteeringRequest();

    [Fact]
    public async Task SteeringPage_DatesPickedDuringASlowLoad_NeverTwoLoadsAtOnceAndTheLatestDateWins()
    {
        await using var app = new DriftvyAppFactory(kestrelPort: Requirements.FreePort());
        app.StartServer();
        await app.Services.GetRequiredService<UserStore>().CreateAsync("tittare", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);
        // The page's own steering fetches, counted where they start and end (before any of its scripts runs).
        await page.AddInitScriptAsync("""
            (() => {
              const s = window.steeringFetches = { inFlight: 0, most: 0, asked: [] };
              const original = window.fetch;
              window.fetch = function (input, init) {
                const url = String(input instanceof Request ? input.url : input);
                if (!url.includes('/api/steering?')) return original.call(this, input, init);
                s.inFlight++;
                s.most = Math.max(s.most, s.inFlight);
                s.asked.push(url.slice(url.indexOf('?')));
                return original.call(this, input, init).finally(() => { s.inFlight--; });
              };
            })();
            """);
        await SignedInBrowserTests.SignInAsync(page, new Uri(app.KestrelAddress, "/login?ReturnUrl=%2Fsteering"));
        await page.WaitForFunctionAsync("() => document.body.dataset.loaded === 'true'", null, new() { Timeout = 30000 });
        await page.EvaluateAsync("() => { window.steeringFetches.most = 0; window.steeringFetches.asked = []; }");

        // From now on every steering request is held for a while before it reaches the server, so the dates below are
        // all picked while the first of their loads is still running.
        await page.RouteAsync(SteeringRequest(), async route =>
        {
            // Not the test's token: this runs on Playwright's own dispatch, outside the test's context.
            await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
            await route.ContinueAsync();
        });

        const string Pick = "d => { const e = document.getElementById('date'); e.value = d; e.dispatchEvent(new Event('change')); }";
        await page.EvaluateAsync(Pick, "2026-03-02");
        await page.EvaluateAsync(Pick, "2026-06-01");
        await page.EvaluateAsync(Pick, "2026-10-01");

        // The page settles on the last date picked: its load ran, and the report links follow it (VB 2026).
        try
        {
            await page.WaitForFunctionAsync(
                "() => document.getElementById('status').textContent === '' && document.getElementById('report-tertial').getAttribute('href').includes('/2026/VB')",
                null, new() { Timeout = 30000 });
        }
        catch (TimeoutException)
        {
            var state = await page.EvaluateAsync<string>(
                "() => JSON.stringify({ status: document.getElementById('status').textContent, href: document.getElementById('report-tertial').getAttribute('href'), fetches: window.steeringFetches })");
            Assert.Fail("the page did not settle on the last date: " + state + "; errors: " + string.Join(" | ", errors));
        }
        var most = await page.EvaluateAsync<int>("() => window.steeringFetches.most");
        var asked = await page.EvaluateAsync<string[]>("() => window.steeringFetches.asked");

        Assert.Equal(1, most);
        Assert.Equal("?date=2026-03-02", asked[0]);
        Assert.Equal("?date=2026-10-01", asked[^1]);
        Assert.DoesNotContain("?date=2026-06-01", asked);
        Assert.Empty(errors);
    }
}
