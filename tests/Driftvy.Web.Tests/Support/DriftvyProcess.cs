using System.Diagnostics;
using System.Globalization;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// The Driftvy host as a real child process (<c>dotnet Driftvy.Web.dll</c>, the build beside the tests) on a free
/// loopback port, configured through the environment like a deployment. Unlike an in-process test host it can be
/// killed outright (<see cref="Kill"/>: SIGKILL, no shutdown code runs), which is what a crashed or
/// <c>kill -9</c>ed instance looks like to a balancer, to Redis, to PostgreSQL and to Quartz's cluster.
/// It runs on the clock of the machine (or of <c>faketime</c>, whose preload it inherits like the test run).
/// </summary>
public sealed class DriftvyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly BoundedLog _log = new();

    private DriftvyProcess(Process process, string dataDirectory, int port)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public bool HasExited => _process.HasExited;

    /// <summary>The instance's last lines of output, for failure messages.</summary>
    public string Log => _log.ToString();

    /// <summary>
    /// Starts an instance with <paramref name="settings"/> (configuration keys, e.g. <c>ConnectionStrings:Redis</c>)
    /// and waits until it answers <c>/health/live</c>, i.e. until its start-up (migrations, store catch-up) is done.
    /// </summary>
    public static async Task<DriftvyProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan patience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var port = Requirements.FreePort();
        var data = Path.Combine(Path.GetTempPath(), "driftvy-instance-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var info = new ProcessStartInfo(DotnetHost())
        {
            // The content root: the boards and seed files are copied beside the tests.
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Urls"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        info.Environment["Storage__DataDirectory"] = data;
        info.Environment["Sources__Simulator__HistoryMonths"] = "0";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var instance = new DriftvyProcess(process, data, port);
        process.OutputDataReceived += (_, e) => instance._log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => instance._log.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var live = await LiveProbe.WaitAsync(process, instance.Address, patience, cancellationToken);
        if (!live)
        {
            var log = instance.Log;
            await instance.DisposeAsync();
            throw new InvalidOperationException($"Driftvy did not answer on port {port} within {patience.TotalSeconds:0} s:\n{log}");
        }

        return instance;
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: the instance gets no chance to close its sockets or leave the cluster.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }

    /// <summary>The host the test runs under (the SDK sets DOTNET_HOST_PATH for the processes it starts), else dotnet on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : Requirements.Find("dotnet") ?? "dotnet";
}
