using System.Text.RegularExpressions;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Driftvy.Web.Tests.Browser;

/// <summary>Production mode (no anonymous reading): the screens offer sign-in, and the sign-in page knows who is signed in.</summary>
public sealed class SignInPagesBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> Production = new() { ["Security:AnonymousRead"] = "false" };

    private const string WrongPassword = "Fel användarnamn eller lösenord.";

    [Fact]
    public async Task WallScreen_AnonymousInProductionMode_OffersSignInAndComesBack()
    {
        await using var app = new DriftvyAppFactory(Production, kestrelPort: Requirements.FreePort());
        app.StartServer();
        await app.Services.GetRequiredService<UserStore>().CreateAsync("tittare", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);
        var (page, errors) = await chromium.NewPageAsync(1920, 1080, app.Time);

        await page.GotoAsync(new Uri(app.KestrelAddress, "/").ToString());

        // Offered the sign-in page, not "Anslutningen bröts" on a screen that can never connect.
        await page.WaitForURLAsync(new Regex(@"/login\?ReturnUrl=%2F$"));
        await page.FillAsync("input[name=username]", "tittare");
        await page.FillAsync("input[name=password]", DriftvyAppFactory.TestPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new Uri(app.KestrelAddress, "/").ToString());
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 1", null, new() { Timeout = 15000 });
        Assert.True(await page.Locator("#connection-banner").IsHiddenAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Login_AlreadySignedIn_ShowsWhoAndNeverCallsAnExpiredFormAWrongPassword()
    {
        await using var app = new DriftvyAppFactory(Production, kestrelPort: Requirements.FreePort());
        app.StartServer();
        await app.Services.GetRequiredService<UserStore>().CreateAsync("tittare", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);
        var (page, errors) = await chromium.NewPageAsync(1280, 800, app.Time);
        await SignedInBrowserTests.SignInAsync(page, new Uri(app.KestrelAddress, "/login"));
        await page.WaitForURLAsync(new Uri(app.KestrelAddress, "/steering").ToString());

        // Opening the sign-in page again: who is signed in, and the ways on.
        await page.GotoAsync(new Uri(app.KestrelAddress, "/login?ReturnUrl=%2Fboards%2Fkontaktcenter").ToString());
        var who = page.Locator("#signed-in");
        await who.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        Assert.Contains("inloggad som tittare", await who.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("/boards/kontaktcenter", await page.Locator("#continue").GetAttributeAsync("href"));

        // Signing in again while signed in works (the post carries the session's antiforgery token)…
        await page.FillAsync("input[name=username]", "tittare");
        await page.FillAsync("input[name=password]", DriftvyAppFactory.TestPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new Uri(app.KestrelAddress, "/boards/kontaktcenter").ToString());

        // …and a form whose antiforgery token no longer holds (the answer the server's check gives) says that it
        // expired, not that the password was wrong.
        await page.GotoAsync(new Uri(app.KestrelAddress, "/login").ToString());
        await who.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        var expired = await page.EvaluateAsync<string>("() => fetch('/auth/logout', { method: 'POST', headers: { 'X-CSRF-TOKEN': 'an-expired-token' } }).then(r => r.text())");
        Assert.Contains("\"code\":\"antiforgery\"", expired, StringComparison.Ordinal);
        await page.RouteAsync("**/auth/login", route => route.FulfillAsync(new RouteFulfillOptions { Status = 400, ContentType = "application/json", Body = expired }));
        await page.FillAsync("input[name=username]", "tittare");
        await page.FillAsync("input[name=password]", DriftvyAppFactory.TestPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        var status = page.Locator("#login-status");
        await page.WaitForFunctionAsync("() => document.getElementById('login-status').textContent.length > 0", null, new() { Timeout = 15000 });
        Assert.Contains("gått ut", await status.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, await status.InnerTextAsync(), StringComparison.Ordinal);

        // Signing out from the page ends the session: the page then offers only the form.
        await page.UnrouteAsync("**/auth/login");
        await page.Locator("#sign-out").ClickAsync();
        await who.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        var me = await page.EvaluateAsync<string?>("() => fetch('/auth/me').then(r => r.json()).then(m => m.name)");
        Assert.Null(me);

        // The 400s for the expired token are expected in the console; nothing else is.
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }
}
