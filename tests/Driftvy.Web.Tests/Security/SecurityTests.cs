using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

public sealed class SecurityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> Locked = new() { ["Security:AnonymousRead"] = "false" };

    [Fact]
    public async Task SignIn_WrongPasswordRepeatedly_RefusesEvenTheRightPasswordFromThatAddress()
    {
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Security:LockoutAttempts"] = "3" });
        await app.Services.GetRequiredService<UserStore>().CreateAsync("teamledare", DriftvyAppFactory.TestPassword, Roles.TeamLeader, Ct);
        using var client = app.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            var wrong = await client.PostAsJsonAsync("/auth/login", new { username = "teamledare", password = "fel lösenord här" }, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var right = await client.PostAsJsonAsync("/auth/login", new { username = "teamledare", password = DriftvyAppFactory.TestPassword }, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.RetryAfter is not null, "says how long to wait");
    }

    [Fact]
    public async Task SignIn_UnknownUser_SameAnswerAsWrongPassword()
    {
        await using var app = new DriftvyAppFactory();
        await app.Services.GetRequiredService<UserStore>().CreateAsync("finns", DriftvyAppFactory.TestPassword, Roles.Viewer, Ct);
        using var client = app.CreateClient();

        var wrongPassword = await client.PostAsJsonAsync("/auth/login", new { username = "finns", password = "vad som helst här" }, Ct);
        var unknownUser = await client.PostAsJsonAsync("/auth/login", new { username = "finns-inte", password = "vad som helst här" }, Ct);

        // Nothing in the answer tells an attacker which user names exist.
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(wrongPassword.StatusCode, unknownUser.StatusCode);
        Assert.Equal(wrongPassword.Content.Headers.ContentType?.MediaType, unknownUser.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await WithoutTraceIdAsync(wrongPassword), await WithoutTraceIdAsync(unknownUser));
        Assert.Contains("Wrong user name or password", await unknownUser.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The problem body less its per-request trace id.
        static async Task<string> WithoutTraceIdAsync(HttpResponseMessage response)
        {
            var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
            Assert.True(body.Remove("traceId"), "a problem response carries a trace id");
            return body.ToJsonString();
        }
    }

    [Fact]
    public async Task StateChange_CookieWithoutAntiforgeryToken_IsRefused()
    {
        await using var app = new DriftvyAppFactory();
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        admin.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");

        var response = await admin.PostAsJsonAsync("/api/admin/users", new { username = "ny", password = DriftvyAppFactory.TestPassword, role = "viewer" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(await app.Services.GetRequiredService<UserStore>().ListAsync(Ct), u => u.Username == "ny");
    }

    [Fact]
    public async Task AdminChange_AppearsInTheAuditWithOldAndNewValues()
    {
        await using var app = new DriftvyAppFactory();
        using var admin = await app.CreateClientAsAsync(Roles.Admin, "admin-anna");
        var created = await admin.PostAsJsonAsync("/api/admin/users", new { username = "erik", password = DriftvyAppFactory.TestPassword, role = "viewer" }, Ct);
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();

        var changed = await admin.PutAsJsonAsync($"/api/admin/users/{id}/role", new { role = "teamleader" }, Ct);
        var audit = await admin.GetFromJsonAsync<JsonElement[]>("/api/admin/audit", Ct);

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        var entry = Assert.Single(audit!, a => a.GetProperty("entity").GetString() == "user.role");
        Assert.Equal("admin-anna", entry.GetProperty("actor").GetString());
        Assert.Equal("erik", entry.GetProperty("entityId").GetString());
        Assert.Contains("viewer", entry.GetProperty("oldValue").GetString(), StringComparison.Ordinal);
        Assert.Contains("teamleader", entry.GetProperty("newValue").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeadersAndNoStackTraces()
    {
        await using var app = new DriftvyAppFactory(Locked);
        using var client = app.CreateClient();

        var page = await client.GetAsync("/", Ct);
        var denied = await client.GetAsync("/api/kpis", Ct);

        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_AnonymousWhenBoardsNeedSignIn_IsRefused()
    {
        await using var app = new DriftvyAppFactory(Locked);
        await using var connection = HubClients.ForTestServer(app.Server, "/hubs/dashboard");

        await Assert.ThrowsAnyAsync<Exception>(() => connection.StartAsync(Ct));
    }
}

public sealed class JwtGroupRoleTests
{
    [Fact]
    public void AddGroupRoles_KnownGroups_BecomeRolesAndUnknownOnesAreIgnored()
    {
        var jwt = new JwtOptions { GroupClaim = "groups" };
        jwt.GroupRoles["Driftvy-Teamledare"] = Roles.TeamLeader;
        jwt.GroupRoles["Driftvy-Admins"] = Roles.Admin;
        jwt.GroupRoles["Felstavad"] = "superuser";
        var identity = new System.Security.Claims.ClaimsIdentity(
        [
            new System.Security.Claims.Claim("groups", "driftvy-teamledare"),
            new System.Security.Claims.Claim("groups", "Ekonomi-alla"),
            new System.Security.Claims.Claim("groups", "Felstavad"),
        ], "Bearer");

        Driftvy.Web.Security.SecurityServices.AddGroupRoles(identity, jwt);

        var roles = identity.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value).ToList();
        Assert.Equal([Roles.TeamLeader], roles);
    }
}
