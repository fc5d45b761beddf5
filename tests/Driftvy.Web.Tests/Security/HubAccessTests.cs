using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Dashboard.Display;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>
/// The hub decides board access from the identity the caller connected with, however the display token came:
/// header or query, WebSockets or long polling; and a revoked token ends every connection opened with it.
/// </summary>
public sealed class HubAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> Production = new() { ["Security:AnonymousRead"] = "false" };

    [Theory]
    [InlineData("")]
    [InlineData("?token=")]
    public async Task JoinBoard_DisplayTokenInHeaderOverWebSockets_OpensItsBoardOnly(string query)
    {
        await using var app = new DriftvyAppFactory(Production);
        var token = (await app.Services.GetRequiredService<DisplayTokenService>().CreateAsync("aldre-direkt", "TV", Ct)).Token;
        await using var connection = HubClients.ForTestServer(app.Server, DashboardHub.Path, query.TrimStart('?'), r => r.Headers["X-Display-Token"] = token);
        await connection.StartAsync(Ct);

        var other = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BoardSnapshot>("JoinBoard", "kontaktcenter", Ct));
        var steering = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BoardSnapshot>("JoinBoard", "ledning", Ct));
        var own = await connection.InvokeAsync<BoardSnapshot>("JoinBoard", "aldre-direkt", Ct);
        // Fetching a board whole again (after a change that did not fit) is refused the same way.
        var otherAgain = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BoardSnapshot>("Snapshot", "kontaktcenter", Ct));
        var ownAgain = await connection.InvokeAsync<BoardSnapshot>("Snapshot", "aldre-direkt", Ct);

        Assert.EndsWith("HubException: " + HubErrors.DisplayTokenOtherBoard, other.Message, StringComparison.Ordinal);
        Assert.EndsWith("HubException: " + HubErrors.DisplayTokenOtherBoard, steering.Message, StringComparison.Ordinal);
        Assert.EndsWith("HubException: " + HubErrors.DisplayTokenOtherBoard, otherAgain.Message, StringComparison.Ordinal);
        Assert.Equal("aldre-direkt", own.BoardId);
        Assert.Equal("aldre-direkt", ownAgain.BoardId);
    }

    [Fact]
    public async Task JoinBoard_DisplayTokenInHeaderOverLongPolling_OpensItsBoardOnly()
    {
        await using var app = new DriftvyAppFactory(Production);
        var token = (await app.Services.GetRequiredService<DisplayTokenService>().CreateAsync("aldre-direkt", "TV", Ct)).Token;
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Add("X-Display-Token", token);
        var poll = await LongPolling.ConnectAsync(http, DashboardHub.Path + "?token=");

        var other = await poll.InvokeAsync("JoinBoard", "kontaktcenter");
        var own = await poll.InvokeAsync("JoinBoard", "aldre-direkt");

        Assert.True(other.TryGetProperty("error", out var error), "joining another board is refused: " + other);
        Assert.EndsWith("HubException: " + HubErrors.DisplayTokenOtherBoard, error.GetString(), StringComparison.Ordinal);
        Assert.False(own.TryGetProperty("error", out _), "its own board opens: " + own);
        Assert.Equal("aldre-direkt", own.GetProperty("result").GetProperty("boardId").GetString());
    }

    [Fact]
    public async Task Revoke_ConnectionOpenedWithHeaderToken_IsToldAndClosed()
    {
        await using var app = new DriftvyAppFactory(Production);
        using var admin = await app.CreateClientAsAsync(Driftvy.Web.Security.Roles.Admin);
        var created = await app.Services.GetRequiredService<DisplayTokenService>().CreateAsync("aldre-direkt", "TV", Ct);
        await using var connection = HubClients.ForTestServer(app.Server, DashboardHub.Path, configure: r => r.Headers["X-Display-Token"] = created.Token);
        var revoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On(nameof(IDashboardClient.DisplayRevoked), () => revoked.TrySetResult());
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync(Ct);
        await connection.InvokeAsync<BoardSnapshot>("JoinBoard", "aldre-direkt", Ct);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/display-tokens/{created.Info.Id}", Ct)).StatusCode);

        await revoked.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task HubCall_TokenRevokedOnAnotherInstance_IsRefusedAtOnce()
    {
        await using var app = new DriftvyAppFactory(Production);
        var created = await app.Services.GetRequiredService<DisplayTokenService>().CreateAsync("aldre-direkt", "TV", Ct);
        await using var connection = HubClients.ForTestServer(app.Server, DashboardHub.Path, configure: r => r.Headers["X-Display-Token"] = created.Token);
        await connection.StartAsync(Ct);
        await connection.InvokeAsync<BoardSnapshot>("JoinBoard", "aldre-direkt", Ct);

        // Only the shared database knows: no sweep has run yet on this instance.
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE display_tokens SET revoked_at_ms = 1 WHERE id = {0}", [created.Info.Id], Ct), Ct);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => connection.InvokeAsync<BoardSnapshot>("JoinBoard", "aldre-direkt", Ct));
        Assert.True(refused is HubException or OperationCanceledException or InvalidOperationException, refused.ToString());
        if (refused is HubException hub)
        {
            Assert.EndsWith("HubException: " + HubErrors.DisplayTokenRefused, hub.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>SignalR's long-polling transport spoken by hand (the test project has only the client core).</summary>
    private sealed class LongPolling(HttpClient http, string url)
    {
        private const char Separator = '\u001e';
        private readonly Queue<JsonElement> _received = new();
        private int _nextId;

        public static async Task<LongPolling> ConnectAsync(HttpClient http, string path)
        {
            var join = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            var negotiate = await http.PostAsync(path.Replace("?", "/negotiate?", StringComparison.Ordinal) + (path.Contains('?', StringComparison.Ordinal) ? "&" : "/negotiate?") + "negotiateVersion=1", null, Ct);
            negotiate.EnsureSuccessStatusCode();
            var id = (await negotiate.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("connectionToken").GetString()!;
            var poll = new LongPolling(http, path + join + "id=" + Uri.EscapeDataString(id));
            // The first poll only opens the connection.
            (await http.GetAsync(poll._url, Ct)).EnsureSuccessStatusCode();
            await poll.SendAsync("{\"protocol\":\"json\",\"version\":1}");
            var handshake = await poll.ReceiveAsync();
            Assert.False(handshake.TryGetProperty("error", out _), "handshake: " + handshake);
            return poll;
        }

        private readonly string _url = url;

        public async Task<JsonElement> InvokeAsync(string target, params object[] arguments)
        {
            var invocationId = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId, target, arguments }));
            while (true)
            {
                var message = await ReceiveAsync();
                if (message.TryGetProperty("type", out var type) && type.GetInt32() == 3 && message.GetProperty("invocationId").GetString() == invocationId)
                {
                    return message;
                }
            }
        }

        private async Task SendAsync(string json)
        {
            using var content = new StringContent(json + Separator, Encoding.UTF8, "text/plain");
            (await http.PostAsync(_url, content, Ct)).EnsureSuccessStatusCode();
        }

        private async Task<JsonElement> ReceiveAsync()
        {
            while (_received.Count == 0)
            {
                var response = await http.GetAsync(_url, Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                foreach (var frame in (await response.Content.ReadAsStringAsync(Ct)).Split(Separator, StringSplitOptions.RemoveEmptyEntries))
                {
                    _received.Enqueue(JsonDocument.Parse(frame).RootElement.Clone());
                }
            }

            return _received.Dequeue();
        }
    }
}
