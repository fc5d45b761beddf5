using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// A real redis-server on a free loopback port, started as a child process and stopped by PID.
/// Shared by the tests of one class through <c>IClassFixture</c>; each test uses its own key prefix.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;

    public string? Executable { get; } = Requirements.Find("redis-server");

    public bool Available => Executable is not null;

    public int Port { get; private set; }

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=5000";

    public async ValueTask InitializeAsync()
    {
        if (Available)
        {
            Port = Requirements.FreePort();
            await StartAsync();
        }
    }

    /// <summary>Starts (or restarts, on the same port) the server with no persistence.</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(Executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }.WithoutFakeTime();
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes" })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!await Requirements.WaitUntilAsync(PingAsync, TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException($"redis-server did not answer PING on port {Port}");
        }
    }

    /// <summary>Kills the server (an outage); <see cref="StartAsync"/> brings it back empty.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var n = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
