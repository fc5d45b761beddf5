using System.Net;
using System.Net.Http.Json;
using System.Text;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;

namespace Driftvy.Web.Tests.Security;

/// <summary>A request the app cannot serve is the caller's 4xx with the security headers, never a 500.</summary>
public sealed class BadRequestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/api/reports/monthly/9999/12")]
    [InlineData("/api/reports/monthly/0/1")]
    [InlineData("/api/reports/tertial/9999/VB")]
    [InlineData("/api/reports/tertial/9999/T1/changes")]
    [InlineData("/api/steering?date=0001-01-01")]
    [InlineData("/api/steering?date=9999-12-31")]
    public async Task Read_DateAtTheCalendarsEdge_Is400(string path)
    {
        await using var app = new DriftvyAppFactory();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task CreateApiKey_EmptyBody_Is400()
    {
        await using var app = new DriftvyAppFactory();
        using var admin = await app.CreateClientAsAsync(Roles.Admin);

        using var response = await admin.PostAsJsonAsync("/api/admin/api-keys", new { }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task CreateUser_JsonWithALoneSurrogate_Is4xx()
    {
        await using var app = new DriftvyAppFactory();
        using var admin = await app.CreateClientAsAsync(Roles.Admin);

        using var body = new StringContent("{\"username\":\"a\\ud800\",\"password\":\"korrekt häst batteri\",\"role\":\"viewer\"}", Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync("/api/admin/users", body, Ct);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }
}
