using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Browser;

/// <summary>After sign-in the page returns to where the user came from, but only within the site.</summary>
public sealed class SignInReturnBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> Production = new() { ["Security:AnonymousRead"] = "false" };

    [Theory]
    [InlineData("/%5Cattacker.invalid/x")]
    [InlineData("/%09/attacker.invalid/x")]
    [InlineData("/%5C%5Cattacker.invalid/x")]
    [InlineData("//attacker.invalid/x")]
    [InlineData("https://attacker.invalid/x")]
    [InlineData("/.//attacker.invalid/x")]
    public async Task SignIn_ReturnUrlLeavingTheSite_StaysOnTheSite(string returnUrl)
    {
        await using var app = new DriftvyAppFactory(Production, kestrelPort: Requirements.FreePort());
        app.StartServer();
        await app.Services.GetRequiredService<UserStore>().CreateAsync("tittare", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);
        var (page, _) = await chromium.NewPageAsync(1280, 800, app.Time);
        // Nothing off-site may load; a request to the attacker's host would show up here.
        var offSite = new List<string>();
        await page.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Host != "127.0.0.1")
            {
                lock (offSite)
                {
                    offSite.Add(route.Request.Url);
                }

                await route.AbortAsync();
                return;
            }

            await route.ContinueAsync();
        });

        await SignedInBrowserTests.SignInAsync(page, new Uri(app.KestrelAddress, "/login?ReturnUrl=" + returnUrl));
        await page.WaitForURLAsync(new Uri(app.KestrelAddress, "/steering").ToString());

        Assert.Empty(offSite);
        Assert.Equal("127.0.0.1", new Uri(page.Url).Host);
    }

    [Fact]
    public async Task SignIn_LocalReturnUrl_GoesBackThere()
    {
        await using var app = new DriftvyAppFactory(Production, kestrelPort: Requirements.FreePort());
        app.StartServer();
        await app.Services.GetRequiredService<UserStore>().CreateAsync("tittare", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);
        var (page, _) = await chromium.NewPageAsync(1280, 800, app.Time);

        await SignedInBrowserTests.SignInAsync(page, new Uri(app.KestrelAddress, "/login?ReturnUrl=%2Fadmin%3Ftab%3Dusers"));

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/admin\?tab=users(#.*)?$"));
    }
}
