using System.Net;
using System.Net.Http.Json;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>
/// Behind a TLS proxy: forwarded headers believed from the configured proxies only, so the cookies are Secure and
/// HSTS is sent when the browser spoke https; data answers are never cached.
/// </summary>
public sealed class TransportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> BehindProxy = new() { ["Security:KnownProxies:0"] = "10.0.0.5" };

    [Fact]
    public async Task SignIn_ThroughTheConfiguredTlsProxy_SecureCookiesAndHsts()
    {
        await using var app = ClientAddress.Host(BehindProxy);
        await app.Services.GetRequiredService<UserStore>().CreateAsync("anna", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);

        using var signIn = await SendAsync(app, "10.0.0.5", HttpMethod.Post, "/auth/login", JsonContent.Create(new { username = "anna", password = DriftvyAppFactory.TestPassword }));
        using var antiforgery = await SendAsync(app, "10.0.0.5", HttpMethod.Get, "/auth/antiforgery");

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("secure", SetCookie(signIn, "driftvy.auth"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", SetCookie(antiforgery, ".AspNetCore.Antiforgery"), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=", signIn.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_ForwardedHeadersFromAnyoneElse_AreNotBelieved()
    {
        await using var app = ClientAddress.Host(BehindProxy);
        await app.Services.GetRequiredService<UserStore>().CreateAsync("anna", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);

        using var signIn = await SendAsync(app, "203.0.113.7", HttpMethod.Post, "/auth/login", JsonContent.Create(new { username = "anna", password = DriftvyAppFactory.TestPassword }));

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.DoesNotContain("secure", SetCookie(signIn, "driftvy.auth"), StringComparison.OrdinalIgnoreCase);
        Assert.False(signIn.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("/api/kpis")]
    [InlineData("/api/boards/kontaktcenter/snapshot")]
    [InlineData("/health")]
    [InlineData("/auth/me")]
    public async Task DataAnswers_AreNotStoredByAnyCache(string path)
    {
        await using var app = new DriftvyAppFactory();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: {response.Headers.CacheControl}");
    }

    private static async Task<HttpResponseMessage> SendAsync(DriftvyAppFactory app, string from, HttpMethod method, string path, HttpContent? content = null)
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add(ClientAddress.Header, from);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "198.51.100.20");
        return await client.SendAsync(request, Ct);
    }

    private static string SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name, StringComparison.Ordinal));
}
