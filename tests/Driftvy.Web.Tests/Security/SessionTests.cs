using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>
/// A session ends at once when the account is disabled, its role or password changes, or its user signs out
/// (a copy of the cookie is then worth nothing), on requests and hub calls alike; and it has an absolute lifetime.
/// </summary>
public sealed class SessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> Production = new() { ["Security:AnonymousRead"] = "false" };

    [Fact]
    public async Task Session_AccountDisabled_IsRefusedOnTheNextRequest()
    {
        await using var app = new DriftvyAppFactory(Production);
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        var viewer = await SignInAsync(app, "viewer-a", Roles.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/kpis", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/admin/users/{viewer.Id}/disabled", new { disabled = true }, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await viewer.GetAsync("/api/kpis", Ct)).StatusCode);
    }

    [Fact]
    public async Task Session_RoleLowered_LosesTheOldRoleAtOnce()
    {
        await using var app = new DriftvyAppFactory(Production);
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        var leader = await SignInAsync(app, "leader-a", Roles.TeamLeader);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync("/api/callbacks", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/admin/users/{leader.Id}/role", new { role = Roles.Viewer }, Ct)).StatusCode);

        var after = await leader.GetAsync("/api/callbacks", Ct);
        Assert.True(after.StatusCode is HttpStatusCode.Unauthorized, $"the team leader's old session is over: {(int)after.StatusCode}");
    }

    [Fact]
    public async Task Session_PasswordChanged_IsRefusedOnTheNextRequest()
    {
        await using var app = new DriftvyAppFactory(Production);
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        var viewer = await SignInAsync(app, "viewer-b", Roles.Viewer);

        var changed = await admin.PutAsJsonAsync($"/api/admin/users/{viewer.Id}/password", new { password = "ett helt nytt lösenord" }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await viewer.GetAsync("/api/kpis", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/admin/users/{viewer.Id}/password", new { password = "kort" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Logout_CopyOfTheCookieReplayedAfterwards_IsRefused()
    {
        await using var app = new DriftvyAppFactory(Production);
        var admin = await SignInAsync(app, "admin-a", Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/users", Ct)).StatusCode);

        using var logout = admin.Request(HttpMethod.Post, "/auth/logout");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.SendAsync(logout, Ct)).StatusCode);

        // The same cookie, kept by whoever copied it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/admin/users", Ct)).StatusCode);
    }

    [Fact]
    public async Task Session_OlderThanTheAbsoluteLifetime_EndsThoughItKeptSliding()
    {
        var clock = TestClock.Frozen(TestClock.OrdinaryMorning);
        await using var app = new DriftvyAppFactory(
            new Dictionary<string, string?> { ["Security:AnonymousRead"] = "false", ["Security:AbsoluteSessionLifetime"] = "02:00:00" }, time: clock);
        var viewer = await SignInAsync(app, "viewer-c", Roles.Viewer);

        clock.Advance(TimeSpan.FromMinutes(55));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/kpis", Ct)).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(55));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/kpis", Ct)).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(HttpStatusCode.Unauthorized, (await viewer.GetAsync("/api/kpis", Ct)).StatusCode);
    }

    [Fact]
    public async Task HubCall_AfterTheAccountIsDisabled_IsRefusedAndTheConnectionClosed()
    {
        await using var app = new DriftvyAppFactory(Production);
        using var admin = await app.CreateClientAsAsync(Roles.Admin);
        var viewer = await SignInAsync(app, "viewer-d", Roles.Viewer);
        await using var connection = HubClients.ForTestServer(app.Server, DashboardHub.Path, configure: r => r.Headers.Cookie = viewer.Cookie);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync(Ct);
        Assert.Equal("kontaktcenter", (await connection.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct)).BoardId);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/admin/users/{viewer.Id}/disabled", new { disabled = true }, Ct)).StatusCode);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task HubCall_SessionEndedOnAnotherInstance_IsRefusedAndTheSweepClosesIdleConnections()
    {
        await using var app = new DriftvyAppFactory(Production);
        var viewer = await SignInAsync(app, "viewer-e", Roles.Viewer);
        await using var active = HubClients.ForTestServer(app.Server, DashboardHub.Path, configure: r => r.Headers.Cookie = viewer.Cookie);
        await using var idle = HubClients.ForTestServer(app.Server, DashboardHub.Path, configure: r => r.Headers.Cookie = viewer.Cookie);
        var idleClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        idle.Closed += _ =>
        {
            idleClosed.TrySetResult();
            return Task.CompletedTask;
        };
        await active.StartAsync(Ct);
        await idle.StartAsync(Ct);
        await active.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct);
        await idle.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct);

        // Signed out elsewhere: only the shared database knows, and no sweep has run here yet.
        await app.Services.GetRequiredService<UserStore>().EndSessionsAsync(viewer.Id, Ct);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => active.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct));
        Assert.True(refused is HubException { Message: var m } ? m.EndsWith("HubException: " + HubErrors.SessionEnded, StringComparison.Ordinal) : refused is OperationCanceledException or InvalidOperationException, refused.ToString());
        Assert.True(await app.Services.GetRequiredService<EndedSessionSweeper>().SweepOnceAsync(Ct) >= 1, "the sweep drops the idle connection");
        await idleClosed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task HubNegotiate_SignedInBrowserWithoutAntiforgeryHeader_IsAccepted()
    {
        await using var app = new DriftvyAppFactory(Production);
        var viewer = await SignInAsync(app, "viewer-f", Roles.Viewer);
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, DashboardHub.Path + "/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Cookie", viewer.Cookie);
        using var annotate = new HttpRequestMessage(HttpMethod.Post, "/api/annotations") { Content = JsonContent.Create(new { }) };
        annotate.Headers.Add("Cookie", viewer.Cookie);

        var hub = await viewer.Client.SendAsync(negotiate, Ct);
        var other = await viewer.Client.SendAsync(annotate, Ct);

        // The SignalR client sends no antiforgery header; the hub only reads, so it needs none.
        Assert.Equal(HttpStatusCode.OK, hub.StatusCode);
        Assert.Contains("connectionToken", await hub.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // Every other state change still does.
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Contains("antiforgery", await other.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Signs in without a cookie jar, so the test holds the cookie itself and can replay it.</summary>
    private static async Task<Session> SignInAsync(DriftvyAppFactory app, string username, string role)
    {
        var account = await app.Services.GetRequiredService<UserStore>().CreateAsync(username, DriftvyAppFactory.TestPassword, role, Ct);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        var signIn = await client.PostAsJsonAsync("/auth/login", new { username, password = DriftvyAppFactory.TestPassword }, Ct);
        signIn.EnsureSuccessStatusCode();
        var auth = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("driftvy.auth=", StringComparison.Ordinal)).Split(';')[0];
        using var ask = new HttpRequestMessage(HttpMethod.Get, "/auth/antiforgery");
        ask.Headers.Add("Cookie", auth);
        var antiforgery = await client.SendAsync(ask, Ct);
        var csrfCookie = antiforgery.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        var token = (await antiforgery.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!;
        return new Session(client, account.Id, auth + "; " + csrfCookie, token);
    }

    private sealed record Session(HttpClient Client, long Id, string Cookie, string CsrfToken)
    {
        public HttpRequestMessage Request(HttpMethod method, string url)
        {
            var request = new HttpRequestMessage(method, url);
            request.Headers.Add("Cookie", Cookie);
            request.Headers.Add("X-CSRF-TOKEN", CsrfToken);
            return request;
        }

        public async Task<HttpResponseMessage> GetAsync(string url, CancellationToken ct)
        {
            using var request = Request(HttpMethod.Get, url);
            return await Client.SendAsync(request, ct);
        }
    }
}
