using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Driftvy.Bench;

/// <summary>A child process the screens benchmark serves from, reachable at <see cref="Address"/>, stopped by PID.</summary>
internal class ServedProcess(Process process, Uri address, string? folder = null) : IAsyncDisposable
{
    public Process Process => process;

    public Uri Address => address;

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        process.Dispose();
        if (folder is not null)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp cleaner.
            }
        }
    }

    protected static Process Start(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment.Concat(BenchClock.Environment))
        {
            info.Environment[k] = v;
        }

        var process = Children.Started(Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start"));
        // Driftvy's console log at Warning: the first few failures (with their next lines) are shown, the rest dropped.
        var shown = 0;
        var follow = 0;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            if (line.StartsWith("fail:", StringComparison.Ordinal) && Interlocked.Increment(ref shown) <= 5)
            {
                follow = 3;
            }

            if (follow > 0)
            {
                follow--;
                Console.Error.WriteLine($"  [{process.Id}] {line}");
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && (line.Contains("ALERT", StringComparison.Ordinal) || line.Contains("fail", StringComparison.OrdinalIgnoreCase)))
            {
                Console.Error.WriteLine($"  [{Path.GetFileName(program)} {process.Id}] {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    protected static async Task WaitUntilServingAsync(Process process, Uri address, string path)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 600; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the process serving {address} exited with {process.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not yet.
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"{address} did not serve {path} within two minutes");
    }
}

/// <summary>Driftvy as a child process: <c>dotnet Driftvy.Web.dll</c> of this build, configured through the environment.</summary>
internal sealed class DriftvyInstance(Process process, Uri address, string folder) : ServedProcess(process, address, folder)
{
    public static async Task<DriftvyInstance> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var port = Servers.FreePort();
        var data = Path.Combine(Path.GetTempPath(), "driftvy-bench-screens-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["Urls"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        environment["Storage__DataDirectory"] = data;
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var dotnet = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : Servers.Require("dotnet");
        var process = Start(dotnet, [typeof(Driftvy.Web.Dashboard.BoardSnapshot).Assembly.Location], environment, AppContext.BaseDirectory);
        var instance = new DriftvyInstance(process, new Uri($"http://127.0.0.1:{port}"), data);
        await WaitUntilServingAsync(process, instance.Address, "/health/live").ConfigureAwait(false);
        return instance;
    }
}

/// <summary>HAProxy with the shipped <c>deploy/haproxy.cfg</c> in front of two instances.</summary>
internal sealed class Balancer(Process process, Uri address) : ServedProcess(process, address)
{
    public static async Task<Balancer> StartAsync(Uri first, Uri second)
    {
        var port = Servers.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["DRIFTVY_LB_BIND"] = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["DRIFTVY_APP1"] = $"127.0.0.1:{first.Port.ToString(CultureInfo.InvariantCulture)}",
            ["DRIFTVY_APP2"] = $"127.0.0.1:{second.Port.ToString(CultureInfo.InvariantCulture)}",
        };
        var config = Path.Combine(AppContext.BaseDirectory, "deploy", "haproxy.cfg");
        var process = Start(Servers.Require("haproxy"), ["-db", "-f", config], environment, AppContext.BaseDirectory);
        var balancer = new Balancer(process, new Uri($"http://127.0.0.1:{port}"));
        await WaitUntilServingAsync(process, balancer.Address, "/health/live").ConfigureAwait(false);
        return balancer;
    }
}

/// <summary>
/// The raw limit: a bare ASP.NET Core WebSocket endpoint (<c>/bare</c>) that sends every connected socket the same
/// snapshot once a second, serialised once per second with a fresh <c>generatedAt</c>. No hub, no groups, no protocol.
/// Runs as its own process (the bench's <c>bare-server</c> verb) so its CPU and memory are measured like Driftvy's.
/// </summary>
internal sealed class BareServer(Process process, Uri address, string folder) : ServedProcess(process, address, folder)
{
    public static async Task<BareServer> StartChildAsync(string snapshotJson)
    {
        var port = Servers.FreePort();
        var folder = Path.Combine(Path.GetTempPath(), "driftvy-bench-bare-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var payload = Path.Combine(folder, "snapshot.json");
        await File.WriteAllTextAsync(payload, snapshotJson).ConfigureAwait(false);
        var dotnet = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : Servers.Require("dotnet");
        var process = Start(dotnet, [typeof(BareServer).Assembly.Location, "bare-server", "--port", port.ToString(CultureInfo.InvariantCulture), "--payload", payload], new Dictionary<string, string>(), AppContext.BaseDirectory);
        var server = new BareServer(process, new Uri($"http://127.0.0.1:{port}"), folder);
        await WaitUntilServingAsync(process, server.Address, "/live").ConfigureAwait(false);
        return server;
    }

    /// <summary>The <c>bare-server</c> verb: serves until killed.</summary>
    public static async Task ServeAsync(int port, string payloadFile)
    {
        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(payloadFile).ConfigureAwait(false))!;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        await using var app = builder.Build();
        app.UseWebSockets();
        var sockets = new ConcurrentDictionary<WebSocket, byte>();
        app.MapGet("/live", () => "alive");
        app.Map("/bare", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            sockets.TryAdd(socket, 0);
            var buffer = new byte[1024];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var received = await socket.ReceiveAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The screen went away.
            }
            finally
            {
                sockets.TryRemove(socket, out var removed);
            }
        });
        await app.StartAsync().ConfigureAwait(false);

        // The bench's clock is the machine's: the screens compare it with their own receipt time.
#pragma warning disable RS0030
        var clock = TimeProvider.System;
#pragma warning restore RS0030
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            snapshot["generatedAt"] = clock.GetUtcNow();
            var bytes = Encoding.UTF8.GetBytes(snapshot.ToJsonString());
            await Task.WhenAll(sockets.Keys.Select(s => SendAsync(s, bytes))).ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(WebSocket socket, byte[] bytes)
    {
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
        {
            // A screen that went away mid-send.
        }
    }
}
