using Driftvy.Web.Reports;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Driftvy.Web.Tests.Browser;

/// <summary>Fixing (fastställa) the tertial report from the steering page: admins only, after a preview and a confirm step.</summary>
public sealed class ReportFixBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SteeringPage_AdminFixesT2_RefusedForGapsThenFixedWithWhoAndWhen_TeamLeaderSeesNoAction()
    {
        // Thursday 15 October 2026: T2 (January–August) has ended and is not fixed yet.
        await using var app = new DriftvyAppFactory(kestrelPort: Requirements.FreePort());
        app.StartServer();
        var users = app.Services.GetRequiredService<UserStore>();
        await users.CreateAsync("controller", DriftvyAppFactory.TestPassword, Roles.Admin, Ct);
        await users.CreateAsync("tittare", DriftvyAppFactory.TestPassword, Roles.TeamLeader, Ct);

        // A team leader sees the steering view but not the action.
        var (leader, leaderErrors) = await chromium.NewPageAsync(1920, 1080, app.Time);
        await SignedInBrowserTests.SignInAsync(leader, new Uri(app.KestrelAddress, "/login?ReturnUrl=%2Fsteering"));
        await leader.WaitForFunctionAsync("() => document.body.dataset.loaded === 'true'", null, new() { Timeout = 20000 });
        Assert.True(await leader.Locator("#report-fix").IsHiddenAsync(), "a team leader is not offered to fix the report");
        Assert.Empty(leaderErrors);

        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);
        await page.GotoAsync(new Uri(app.KestrelAddress, "/login?ReturnUrl=%2Fsteering").ToString());
        await page.FillAsync("input[name=username]", "controller");
        await page.FillAsync("input[name=password]", DriftvyAppFactory.TestPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        var panel = page.Locator("#report-fix");
        await panel.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 20000 });

        // The preview: which report, a link to the live report, and that it is preliminary with rows lacking data.
        Assert.Equal("T2 2026", await page.Locator("#fix-report-name").InnerTextAsync());
        Assert.Equal("/api/reports/tertial/2026/T2?format=html", await page.Locator("#fix-preview").GetAttributeAsync("href"));
        await page.WaitForFunctionAsync("() => document.getElementById('fix-status').textContent.includes('Preliminär')", null, new() { Timeout = 30000 });
        Assert.Contains("saknar underlag", await page.Locator("#fix-status").InnerTextAsync(), StringComparison.Ordinal);

        // Confirm: refused while rows lack data, and they are named.
        await page.Locator("#fix-start").ClickAsync();
        Assert.Contains("T2 2026", await page.Locator("#fix-question").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#fix-confirm-button").ClickAsync();
        await page.Locator("#fix-accept-label").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 30000 });
        Assert.Contains("Inte fastställd", await page.Locator("#fix-result").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#fix-gaps li").CountAsync() > 0, "the rows without data are listed");
        Assert.Null(await app.Services.GetRequiredService<Driftvy.Web.Reports.Snapshots.IReportSnapshotStore>().FindAsync(2026, TertialPoint.T2, Ct));

        // Accepting the gaps explicitly fixes it: who and when, on the page and in the stored report.
        await page.Locator("#fix-accept").CheckAsync();
        await page.Locator("#fix-confirm-button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('fix-result').textContent.startsWith('Fastställd')", null, new() { Timeout = 30000 });
        Assert.Contains("av controller", await page.Locator("#fix-result").InnerTextAsync(), StringComparison.Ordinal);
        await page.WaitForFunctionAsync("() => document.getElementById('fix-status').textContent.startsWith('Fastställd')", null, new() { Timeout = 30000 });
        Assert.True(await page.Locator("#fix-start").IsHiddenAsync(), "a fixed report cannot be fixed again");
        var stored = await app.Services.GetRequiredService<Driftvy.Web.Reports.Snapshots.IReportSnapshotStore>().FindAsync(2026, TertialPoint.T2, Ct);
        Assert.Equal("controller", stored!.Fixed!.By);
        // The refusal (409) is the one failed request the console may report.
        Assert.All(errors, e => Assert.Contains("409", e, StringComparison.Ordinal));
    }
}
