using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Support;

/// <summary>Builds real SignalR <see cref="HubConnection"/>s against the app under test.</summary>
internal static class HubClients
{
    public static HubConnection ForTestServer(TestServer server, string path, string? query = null, Action<Microsoft.AspNetCore.Http.HttpRequest>? configure = null)
    {
        var uri = new UriBuilder(server.BaseAddress) { Scheme = "ws", Path = path, Query = query ?? "" }.Uri;
        return Build(uri, async (u, ct) =>
        {
            var client = server.CreateWebSocketClient();
            if (configure is not null)
            {
                client.ConfigureRequest = configure;
            }

            return await client.ConnectAsync(u, ct);
        });
    }

    public static HubConnection ForUrl(Uri baseAddress, string path)
    {
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = path }.Uri;
        return Build(uri, async (u, ct) =>
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(u, ct);
            return socket;
        });
    }

    private static HubConnection Build(Uri uri, Func<Uri, CancellationToken, Task<WebSocket>> connect)
    {
        var builder = new HubConnectionBuilder();
        builder.Services.AddSingleton<IConnectionFactory>(new WebSocketConnectionFactory(connect));
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(uri));
        return builder.Build();
    }
}
