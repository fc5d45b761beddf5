using System.Text.Json;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Browser;

/// <summary>The administration page's targets: the target in force, as the screens use it, in Swedish units.</summary>
public sealed class AdminTargetsBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdminTargets_TargetCarriedForward_ShowsTheTargetInForceInSwedishUnits()
    {
        await using var app = new DriftvyAppFactory(kestrelPort: Requirements.FreePort());
        app.StartServer();
        await app.Services.GetRequiredService<UserStore>().CreateAsync("controller", DriftvyAppFactory.TestPassword, Roles.Admin, Ct);
        var (page, errors) = await chromium.NewPageAsync(1600, 1000, app.Time);

        await page.GotoAsync(new Uri(app.KestrelAddress, "/login?ReturnUrl=%2Fadmin").ToString());
        await page.FillAsync("input[name=username]", "controller");
        await page.FillAsync("input[name=password]", DriftvyAppFactory.TestPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        var row = page.Locator("#targets tr[data-kpi='kc_answered_within_1_min']");
        await row.WaitForAsync();

        // The screens' target for the headline KPI (the city's 2015 target, still in force).
        var snapshot = JsonDocument.Parse(await page.EvaluateAsync<string>("() => fetch('/api/boards/kontaktcenter/snapshot').then(r => r.text())")).RootElement;
        var screenTarget = snapshot.GetProperty("tiles").EnumerateArray()
            .First(t => t.GetProperty("kpi").GetString() == "kc_answered_within_1_min").GetProperty("target").GetDouble();
        Assert.Equal(85, screenTarget);

        var value = await row.Locator("input[aria-label^='Mål']").InputValueAsync();
        Assert.Equal(screenTarget, double.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Equal("procent", cells[1]);
        Assert.Contains("2015", cells[6], StringComparison.Ordinal);
        Assert.Equal("sekunder", (await page.Locator("#targets tr[data-kpi='kc_asa'] td").AllInnerTextsAsync())[1]);
        Assert.Equal("per årsarbetare", (await page.Locator("#targets tr[data-kpi='customer_invoices_per_fte'] td").AllInnerTextsAsync())[1]);
        var units = await page.Locator("#targets tbody tr td:nth-child(2)").AllInnerTextsAsync();
        // "index" is the same word in Swedish; every other unit has its own.
        Assert.DoesNotContain(units, u => u is "percent" or "seconds" or "count" or "count_per_fte" or "days" or "score");
        Assert.Empty(errors);
    }
}
