using Driftvy.Web.Security;
using Driftvy.Web.Tests.Ingestion;
using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Dashboard;

public sealed class DisplayTokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DisplayToken_OpensItsBoardOnly_AndIsRefusedOnceRevoked()
    {
        await using var app = new DriftvyAppFactory();
        using var client = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.Admin);
        var (id, token) = await CreateAsync(client, "kontaktcenter");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/display/{token}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/boards/kontaktcenter?token={token}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/boards/ledning?token={token}", Ct)).StatusCode);
        Assert.Equal("kontaktcenter", (await client.GetFromJsonAsync<JsonElement>($"/api/display/{token}", Ct)).GetProperty("boardId").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/admin/display-tokens/{id}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/display/{token}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/boards/kontaktcenter?token={token}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/display/{token}", Ct)).StatusCode);
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/admin/display-tokens", Ct);
        Assert.True(listed.EnumerateArray().Single().GetProperty("revoked").GetBoolean());
        Assert.DoesNotContain(token, listed.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisplayToken_UnknownOrForged_IsRefused()
    {
        await using var app = new DriftvyAppFactory();
        using var client = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.Admin);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/display/" + new string('A', 43), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/boards/kontaktcenter?token=nonsense", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/admin/display-tokens", new { boardId = "no-such-board" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task JoinBoard_WithDisplayToken_RefusesOtherBoardsAndDropsTheScreenOnRevoke()
    {
        await using var app = new DriftvyAppFactory();
        using var client = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.Admin);
        var (id, token) = await CreateAsync(client, "kontaktcenter");
        await using var connection = WithToken(app.Server, token);
        var revoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On(nameof(IDashboardClient.DisplayRevoked), () => revoked.TrySetResult());
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync(Ct);

        var other = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BoardSnapshot>("JoinBoard", "ledning", Ct));
        Assert.EndsWith("HubException: " + HubErrors.DisplayTokenOtherBoard, other.Message, StringComparison.Ordinal);
        var own = await connection.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct);
        Assert.Equal("kontaktcenter", own.BoardId);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/admin/display-tokens/{id}", Ct)).StatusCode);
        await revoked.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        // Reconnecting with the revoked token gets nothing.
        await using var again = WithToken(app.Server, token);
        await again.StartAsync(Ct);
        var refused = await Assert.ThrowsAsync<HubException>(() => again.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct));
        Assert.EndsWith("HubException: " + HubErrors.DisplayTokenRefused, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_TokenRevokedByAnotherInstance_DropsTheScreenHere()
    {
        await using var app = new DriftvyAppFactory();
        using var client = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.Admin);
        var (id, token) = await CreateAsync(client, "kontaktcenter");
        await using var connection = WithToken(app.Server, token);
        var revoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On(nameof(IDashboardClient.DisplayRevoked), () => revoked.TrySetResult());
        await connection.StartAsync(Ct);
        await connection.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct);

        // Another instance revoked it: only the shared database knows.
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE display_tokens SET revoked_at_ms = 1 WHERE id = {0}", [id], Ct), Ct);
        var dropped = await app.Services.GetRequiredService<Driftvy.Web.Dashboard.EndedSessionSweeper>().SweepOnceAsync(Ct);

        Assert.Equal(1, dropped);
        await revoked.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    private static async Task<(long Id, string Token)> CreateAsync(HttpClient client, string board)
    {
        var response = await client.PostAsJsonAsync("/api/admin/display-tokens", new { boardId = board, label = "TV plan 3" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var token = created.GetProperty("token").GetString()!;
        Assert.Equal("/display/" + token, created.GetProperty("displayPath").GetString());
        return (created.GetProperty("info").GetProperty("id").GetInt64(), token);
    }

    private static HubConnection WithToken(TestServer server, string token) =>
        HubClients.ForTestServer(server, DashboardHub.Path, "token=" + Uri.EscapeDataString(token));
}
