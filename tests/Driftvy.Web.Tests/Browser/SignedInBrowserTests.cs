using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Driftvy.Web.Tests.Browser;

/// <summary>Production mode in a real browser: a person who signs in gets a live wall screen.</summary>
public sealed class SignedInBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> Production = new() { ["Security:AnonymousRead"] = "false" };

    [Fact]
    public async Task WallScreen_SignedInUserInProductionMode_ConnectsAndShowsTheBoard()
    {
        await using var app = new DriftvyAppFactory(Production, kestrelPort: Requirements.FreePort());
        app.StartServer();
        await app.Services.GetRequiredService<UserStore>().CreateAsync("tittare", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);

        await SignInAsync(page, new Uri(app.KestrelAddress, "/login?ReturnUrl=%2Fboards%2Fkontaktcenter"));
        await page.WaitForURLAsync(new Uri(app.KestrelAddress, "/boards/kontaktcenter").ToString());
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 1", null, new() { Timeout = 15000 });

        Assert.Equal(4, await page.Locator(".tile").CountAsync());
        Assert.True(await page.Locator("#connection-banner").IsHiddenAsync(), "the banner 'Anslutningen bröts' is gone once the screen has joined");
        Assert.Empty(errors);
    }

    internal static async Task SignInAsync(IPage page, Uri login)
    {
        await page.GotoAsync(login.ToString());
        await page.FillAsync("input[name=username]", "tittare");
        await page.FillAsync("input[name=password]", DriftvyAppFactory.TestPassword);
        await page.Locator("button[type=submit]").ClickAsync();
    }
}
