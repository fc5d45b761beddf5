using Driftvy.Domain.Calendar;
using Driftvy.Web.Kpis;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Driftvy.Web.Tests.Browser;

/// <summary>The administration page in a real browser: sign in, change things, see them in force and in the audit.</summary>
public sealed class AdminPageBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_ChangesATargetAndAStaffingFigure_AndFindsBothInTheAudit()
    {
        await using var app = new DriftvyAppFactory(kestrelPort: Requirements.FreePort());
        app.StartServer();
        var (page, errors) = await chromium.NewPageAsync(1600, 1000, app.Time);
        await app.Services.GetRequiredService<UserStore>().CreateAsync("controller", DriftvyAppFactory.TestPassword, Roles.Admin, Ct);

        await page.GotoAsync(new Uri(app.KestrelAddress, "/admin").ToString());
        await page.Locator("#signin").WaitForAsync(new() { State = WaitForSelectorState.Visible });
        await page.Locator("#signin a").ClickAsync();
        await page.FillAsync("input[name=username]", "controller");
        await page.FillAsync("input[name=password]", DriftvyAppFactory.TestPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        // Back on the administration page, whichever tab it opens on (the page may add #targets at once).
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/admin(#[a-z-]*)?$"));

        var year = StockholmTime.LocalDate(app.Time.GetUtcNow()).Year;
        var row = page.Locator("#targets tr[data-kpi='kc_answered_within_1_min']");
        await row.WaitForAsync();
        await row.Locator("input[aria-label^='Mål']").FillAsync("91");
        await row.Locator("input[aria-label^='Tolerans']").FillAsync("2");
        await row.Locator("button", new() { HasText = "Spara" }).ClickAsync();
        await page.Locator("#message[data-kind='ok']").WaitForAsync();
        Assert.Equal(91, app.Services.GetRequiredService<KpiSetup>().Targets.Find("kc_answered_within_1_min", year)!.Value);
        await page.Locator("#targets tr[data-kpi='kc_answered_within_1_min'] .origin-admin").WaitForAsync();

        await page.Locator("#tabs button[data-tab='staffing']").ClickAsync();
        var fte = page.Locator($"input[aria-label='Årsarbetare lr {year}-03']");
        await fte.FillAsync("14.5");
        // Leaving the field commits it once, as a person tabbing on would.
        await fte.PressAsync("Tab");
        await page.Locator("#message[data-kind='ok']", new() { HasText = "lr" }).WaitForAsync();

        await page.Locator("#tabs button[data-tab='parameters']").ClickAsync();
        var kpi = page.Locator("#parameters tr[data-kpi='kc_answered_within_1_min']");
        await kpi.Locator("input[type=date]").FillAsync("2000-01-01");
        await kpi.Locator("button", new() { HasText = "Ny version" }).ClickAsync();
        var refused = page.Locator("#message[data-kind='error']");
        await refused.WaitForAsync();
        Assert.Contains("effectiveFrom", await refused.InnerTextAsync(), StringComparison.Ordinal);

        await page.Locator("#tabs button[data-tab='audit']").ClickAsync();
        await page.Locator("#audit td", new() { HasText = "kc_answered_within_1_min" }).First.WaitForAsync();
        var audit = await page.Locator("#audit").InnerTextAsync();
        Assert.Contains("controller", audit, StringComparison.Ordinal);
        Assert.Contains("\"value\":91", audit, StringComparison.Ordinal);
        Assert.Contains("\"fte\":14.5", audit, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ArtifactPath("admin-audit.png"), FullPage = true });
        // The refused parameter change is the only failed request the console may report.
        Assert.DoesNotContain(errors, e => !e.Contains("status of 400", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Admin_InEnglish_EveryFixedLabelAndTheLinksFollowTheLanguage()
    {
        await using var app = new DriftvyAppFactory(kestrelPort: Requirements.FreePort());
        app.StartServer();
        var (page, _) = await chromium.NewPageAsync(1600, 1000, app.Time);
        await app.Services.GetRequiredService<UserStore>().CreateAsync("controller", DriftvyAppFactory.TestPassword, Roles.Admin, Ct);

        await page.GotoAsync(new Uri(app.KestrelAddress, "/login?ReturnUrl=%2Fadmin%3Flang%3Den").ToString());
        await page.FillAsync("input[name=username]", "controller");
        await page.FillAsync("input[name=password]", DriftvyAppFactory.TestPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/admin\\?lang=en(#[a-z-]*)?$"));
        await page.Locator("#targets tr[data-kpi]").First.WaitForAsync();

        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Administration – Driftvy", await page.TitleAsync());
        Assert.Equal("Targets", await page.Locator("#tabs button[data-tab='targets']").InnerTextAsync());
        Assert.Equal("Change log", await page.Locator("#tabs button[data-tab='audit']").InnerTextAsync());
        Assert.Equal(["KPI", "Unit", "Target", "Tolerance", "Band", "Periodicity", "Origin", ""], await page.Locator("#targets thead th").AllInnerTextsAsync());
        Assert.Equal("Year", await page.Locator("label:has(#target-year) span").InnerTextAsync());
        Assert.All(await page.Locator(".links a").EvaluateAllAsync<string[]>("links => links.map(a => a.search)"), search => Assert.Equal("?lang=en", search));
        var english = await page.Locator("[data-label]").AllTextContentsAsync();

        // The same page in Swedish: every fixed label differs between the languages, but for the words they share.
        await page.GotoAsync(new Uri(app.KestrelAddress, "/admin").ToString());
        await page.Locator("#targets tr[data-kpi]").First.WaitForAsync();
        var swedish = await page.Locator("[data-label]").AllTextContentsAsync();
        Assert.Equal(swedish.Count, english.Count);
        Assert.True(swedish.Count > 90, $"{swedish.Count} labels");
        string[] shared = ["Administration", "KPI", "Band", "Id", "Status"];
        var untranslated = swedish.Zip(english).Where(p => p.First == p.Second && !shared.Contains(p.First)).Select(p => p.First).ToList();
        Assert.True(untranslated.Count == 0, "same in both languages: " + string.Join(", ", untranslated));
        Assert.DoesNotContain(english, l => l.IndexOfAny(['å', 'ä', 'ö', 'Å', 'Ä', 'Ö']) >= 0 || l.Length == 0);
    }
}
