using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package) on a free loopback port, scraping one target every second
/// with the metrics key from a credentials file, as a deployment's scrape config does. Started as a child process with
/// its own temporary storage, stopped by PID.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public static string? Executable => Requirements.Find("prometheus");

    public Uri Address { get; }

    /// <summary>
    /// Starts Prometheus scraping <paramref name="target"/>'s <c>/metrics</c> with <c>Authorization: Metrics key</c>,
    /// and waits until it is ready to answer queries.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(Uri target, string metricsKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var directory = Path.Combine(Path.GetTempPath(), "driftvy-prometheus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var keyFile = Path.Combine(directory, "metrics-key");
        await File.WriteAllTextAsync(keyFile, metricsKey, cancellationToken);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: driftvy
                metrics_path: /metrics
                authorization:
                  type: Metrics
                  credentials_file: {keyFile}
                static_configs:
                  - targets: ['{target.Authority}']
            """, cancellationToken);

        var port = Requirements.FreePort();
        var info = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("prometheus is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }.WithoutFakeTime();
        foreach (var arg in new[]
        {
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(directory, "data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--log.level=warn",
        })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, port);
        if (!await Requirements.WaitUntilAsync(server.IsReadyAsync, TimeSpan.FromSeconds(30), cancellationToken))
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"prometheus did not become ready on port {port}");
        }

        return server;
    }

    /// <summary>The values of an instant query's result series (label sets and values), as Prometheus answers now.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        using var answer = await _http.GetAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(promql), UriKind.Relative), cancellationToken);
        answer.EnsureSuccessStatusCode();
        using var json = await JsonDocument.ParseAsync(await answer.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var series = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (var item in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = item.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            var value = double.Parse(item.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            series.Add((labels, value));
        }

        return series;
    }

    /// <summary>The state of the scrape target as Prometheus reports it (<c>up</c>, <c>down</c>, <c>unknown</c>) and its last error.</summary>
    public async Task<(string Health, string LastError)> TargetAsync(CancellationToken cancellationToken)
    {
        var targets = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/targets", UriKind.Relative), cancellationToken);
        var active = targets.GetProperty("data").GetProperty("activeTargets");
        return active.GetArrayLength() == 0 ? ("none", "")
            : (active[0].GetProperty("health").GetString() ?? "", active[0].GetProperty("lastError").GetString() ?? "");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }

    private async Task<bool> IsReadyAsync()
    {
        if (_process.HasExited)
        {
            return false;
        }

        try
        {
            using var answer = await _http.GetAsync(new Uri("/-/ready", UriKind.Relative));
            return answer.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
