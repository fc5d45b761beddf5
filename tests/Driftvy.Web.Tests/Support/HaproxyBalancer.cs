using System.Diagnostics;
using System.Globalization;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// A real HAProxy on a free loopback port in front of two Driftvy instances, started as a child process and stopped
/// by PID. It runs the shipped <c>deploy/haproxy.cfg</c> (copied into a temporary folder) with the addresses given
/// through the environment, exactly as docker compose does: round robin per request, no stickiness, WebSockets
/// passed through, health checks on <c>/health/live</c>, and the answering instance named in
/// <see cref="InstanceHeader"/>.
/// </summary>
public sealed class HaproxyBalancer : IAsyncDisposable
{
    /// <summary>The response header in which the balancer names the instance that answered (<c>app1</c>, <c>app2</c>).</summary>
    public const string InstanceHeader = "X-Driftvy-Instance";

    private readonly Process _process;
    private readonly string _folder;
    private readonly BoundedLog _log = new();

    private HaproxyBalancer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public static string? Executable { get; } = Requirements.Find("haproxy");

    public static bool Available => Executable is not null;

    /// <summary>The shipped configuration, copied beside the test assembly by the build.</summary>
    public static string Template => Path.Combine(AppContext.BaseDirectory, "deploy", "haproxy.cfg");

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts HAProxy in front of <paramref name="first"/> and <paramref name="second"/> and waits until it answers through them.</summary>
    public static async Task<HaproxyBalancer> StartAsync(Uri first, Uri second, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "driftvy-haproxy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "haproxy.cfg");
        File.Copy(Template, config);
        var port = Requirements.FreePort();
        var info = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("haproxy is not installed"))
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }.WithoutFakeTime();
        // -db: stay in the foreground, so the process we hold is the one that serves and the one we stop.
        foreach (var arg in new[] { "-db", "-f", config })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DRIFTVY_LB_BIND"] = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        info.Environment["DRIFTVY_APP1"] = $"{first.Host}:{first.Port.ToString(CultureInfo.InvariantCulture)}";
        info.Environment["DRIFTVY_APP2"] = $"{second.Host}:{second.Port.ToString(CultureInfo.InvariantCulture)}";
        var process = Process.Start(info) ?? throw new InvalidOperationException("haproxy did not start");
        var balancer = new HaproxyBalancer(process, folder, port);
        process.OutputDataReceived += (_, e) => balancer._log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => balancer._log.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var ready = await LiveProbe.WaitAsync(process, balancer.Address, TimeSpan.FromSeconds(60), cancellationToken);
        if (!ready)
        {
            var log = balancer.Log;
            await balancer.DisposeAsync();
            throw new InvalidOperationException($"haproxy did not serve on port {port}:\n{log}");
        }

        return balancer;
    }

    /// <summary>The balancer's last lines of output (its request log and warnings), for failure messages.</summary>
    public string Log => _log.ToString();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }
}

/// <summary>The last lines a child process wrote, bounded so a chatty process cannot fill the test's memory.</summary>
internal sealed class BoundedLog(int capacity = 200)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return string.Join('\n', _lines);
        }
    }
}
