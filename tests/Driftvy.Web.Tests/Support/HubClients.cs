using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// Builds real SignalR <see cref="HubConnection"/>s (the official .NET client) against the app under test. Like the
/// wall screen, they skip negotiation and open the WebSocket directly: one request, so no balancer can send a
/// negotiation and its socket to different instances.
/// </summary>
internal static class HubClients
{
    /// <summary>A connection to the in-memory test server; <paramref name="configure"/> may add headers or cookies.</summary>
    public static HubConnection ForTestServer(TestServer server, string path, string? query = null, Action<Microsoft.AspNetCore.Http.HttpRequest>? configure = null)
    {
        var uri = new UriBuilder(server.BaseAddress) { Path = path, Query = query ?? "" }.Uri;
        return Build(uri, o => o.WebSocketFactory = async (context, ct) =>
        {
            var client = server.CreateWebSocketClient();
            if (configure is not null)
            {
                client.ConfigureRequest = configure;
            }

            return await client.ConnectAsync(context.Uri, ct);
        });
    }

    /// <summary>A connection over the network, to a host on real Kestrel.</summary>
    public static HubConnection ForUrl(Uri baseAddress, string path, string? query = null) =>
        Build(new UriBuilder(baseAddress) { Path = path, Query = query ?? "" }.Uri, _ => { });

    /// <summary>
    /// A connection over the network that reconnects on its own after <paramref name="reconnect"/>'s delays, as
    /// the wall screen does; <paramref name="configure"/> may add headers (a session cookie).
    /// </summary>
    public static HubConnection Reconnecting(Uri baseAddress, string path, IRetryPolicy reconnect, Action<HttpConnectionOptions> configure) =>
        Build(new UriBuilder(baseAddress) { Path = path }.Uri, configure, reconnect);

    private static HubConnection Build(Uri uri, Action<HttpConnectionOptions> configure, IRetryPolicy? reconnect = null)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(uri, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                configure(o);
            });
        if (reconnect is not null)
        {
            builder.WithAutomaticReconnect(reconnect);
        }

        return builder.Build();
    }
}
