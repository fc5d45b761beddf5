using System.Net;
using System.Net.Http.Json;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>Account names are short, plain and unique without regard to case; a bad request is a 400, never a 500.</summary>
public sealed class UserNameTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> BadNames => new()
    {
        "",
        "   ",
        "<b>anna</b>",
        "=HYPERLINK(\"http://x\")",
        "@SUM(A1)",
        new string('a', 5000),
        "anna\u0000berg",
        "anna berg",
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task CreateUser_BadName_RefusedWith400(string username)
    {
        await using var app = new DriftvyAppFactory();
        using var admin = await app.CreateClientAsAsync(Roles.Admin);

        var response = await admin.PostAsJsonAsync("/api/admin/users", new { username, password = DriftvyAppFactory.TestPassword, role = "viewer" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(await app.Services.GetRequiredService<UserStore>().ListAsync(Ct));
    }

    [Fact]
    public async Task CreateUser_SameNameInOtherCase_RefusedWith400()
    {
        await using var app = new DriftvyAppFactory();
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/admin/users", new { username = "Åsa.Berg", password = DriftvyAppFactory.TestPassword, role = "viewer" }, Ct)).StatusCode);

        var again = await admin.PostAsJsonAsync("/api/admin/users", new { username = "åsa.berg", password = DriftvyAppFactory.TestPassword, role = "viewer" }, Ct);
        var exact = await admin.PostAsJsonAsync("/api/admin/users", new { username = "Åsa.Berg", password = DriftvyAppFactory.TestPassword, role = "viewer" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, exact.StatusCode);
        Assert.All([again, exact], r => Assert.True(r.Headers.Contains("Content-Security-Policy"), "security headers on the refusal"));
    }

    [Fact]
    public async Task CreateUser_NullNamePasswordOrRole_RefusedWith400()
    {
        await using var app = new DriftvyAppFactory();
        using var admin = await app.CreateClientAsAsync(Roles.Admin);

        var noPassword = await admin.PostAsJsonAsync("/api/admin/users", new { username = "erik", password = (string?)null, role = "viewer" }, Ct);
        var noRole = await admin.PostAsJsonAsync("/api/admin/users", new { username = "erik", password = DriftvyAppFactory.TestPassword, role = (string?)null }, Ct);
        var noName = await admin.PostAsJsonAsync("/api/admin/users", new { username = (string?)null, password = DriftvyAppFactory.TestPassword, role = "viewer" }, Ct);
        var empty = await admin.PostAsJsonAsync("/api/admin/users", new { }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, noPassword.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noRole.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.All([noPassword, noRole, noName, empty], r => Assert.True(r.Headers.Contains("Content-Security-Policy"), "security headers on the refusal"));
    }
}
