using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Driftvy.Bench;

/// <summary>
/// Screens at scale: N wall screens (the official SignalR JavaScript client, in node) on one board with a telephony
/// poll every second, against Driftvy alone, Driftvy ×2 behind HAProxy (the shipped configuration), and a bare ASP.NET
/// Core WebSocket endpoint broadcasting the same snapshot every second as the raw limit. Every server is a child
/// process, so its CPU and memory are read from /proc.
/// </summary>
internal static class ScreensBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(string[] args)
    {
        var counts = Text(args, "--counts", "1000,5000,10000").Split(',').Select(c => int.Parse(c, Inv)).ToArray();
        var seconds = Number(args, "--seconds", 20);
        var warmup = Number(args, "--warmup", 5);
        var layouts = Text(args, "--layouts", "direct,balanced,bare,bare-change").Split(',');
        var runTimeout = TimeSpan.FromSeconds(Number(args, "--run-timeout", 900));
        var workers = Number(args, "--workers", 2);
        var at = Text(args, "--at", "");
        if (at.Length > 0)
        {
            BenchClock.Set(DateTimeOffset.Parse(at, Inv));
        }

        var node = Servers.Require("node");
        var script = Path.Combine(AppContext.BaseDirectory, "screens", "screens.mjs");
        Console.WriteLine(BenchClock.Described);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, .NET {Environment.Version}; {seconds} s measured per run after {warmup} s warm-up");

        var redisPort = Servers.FreePort();
        await using var redis = await Servers.StartRedisAsync(redisPort);
        var (postgres, database) = await Servers.StartPostgresAsync(Servers.FreePort());
        await using var postgresServer = postgres;

        var results = new List<(string Layout, Run Run)>();
        string? payload = null;
        string? changePayload = null;
        foreach (var layout in layouts.OrderBy(l => l.StartsWith("bare", StringComparison.Ordinal) ? 1 : 0))
        {
            // The bare broadcast sends the very snapshot Driftvy pushes; it is taken from a Driftvy run first.
            var servers = new List<(string Name, Process Process)>();
            var owned = new List<IAsyncDisposable>();
            Uri target;
            try
            {
                var settings = new Dictionary<string, string>
                {
                    ["ConnectionStrings:Redis"] = $"127.0.0.1:{redisPort}",
                    ["ConnectionStrings:Postgres"] = database,
                    ["Aggregates:KeyPrefix"] = $"screens-{layout}:",
                    ["Sources:Telephony:PollInterval"] = "00:00:01",
                    ["Sources:Simulator:HistoryMonths"] = "0",
                    ["Scheduling:Clustered"] = layout == "balanced" ? "true" : "false",
                    ["Scheduling:CheckinInterval"] = "00:00:05",
                    ["Logging:LogLevel:Default"] = "Warning",
                    // A fresh database's first look for the migrations table fails by design; not worth a line.
                    ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
                };
                switch (layout)
                {
                    case "direct":
                    {
                        var app = await DriftvyInstance.StartAsync(settings);
                        owned.Add(app);
                        await WarmAsync(app.Address);
                        servers.Add(("driftvy", app.Process));
                        target = app.Address;
                        payload ??= await SnapshotJsonAsync(app.Address);
                        changePayload ??= await ChangeJsonAsync(app.Address);
                        break;
                    }

                    case "balanced":
                    {
                        var first = await DriftvyInstance.StartAsync(settings);
                        owned.Add(first);
                        var second = await DriftvyInstance.StartAsync(settings);
                        owned.Add(second);
                        var balancer = await Balancer.StartAsync(first.Address, second.Address);
                        owned.Add(balancer);
                        await WarmAsync(first.Address);
                        servers.Add(("driftvy 1", first.Process));
                        servers.Add(("driftvy 2", second.Process));
                        servers.Add(("haproxy", balancer.Process));
                        target = balancer.Address;
                        payload ??= await SnapshotJsonAsync(first.Address);
                        changePayload ??= await ChangeJsonAsync(first.Address);
                        break;
                    }

                    case "bare" or "bare-change":
                    {
                        if (payload is null || changePayload is null)
                        {
                            var app = await DriftvyInstance.StartAsync(settings);
                            await using (app)
                            {
                                await WarmAsync(app.Address);
                                payload = await SnapshotJsonAsync(app.Address);
                                changePayload = await ChangeJsonAsync(app.Address);
                            }
                        }

                        var bare = await BareServer.StartChildAsync(layout == "bare" ? payload : changePayload);
                        owned.Add(bare);
                        servers.Add(("bare", bare.Process));
                        target = bare.Address;
                        break;
                    }

                    default:
                        throw new ArgumentException($"unknown layout '{layout}' (direct, balanced, bare, bare-change)");
                }

                foreach (var count in counts)
                {
                    var run = await RunScreensAsync(node, script, layout.StartsWith("bare", StringComparison.Ordinal) ? "bare" : "signalr", target, count, warmup, seconds, workers, runTimeout, servers);
                    if (run is null)
                    {
                        continue;
                    }

                    results.Add((layout, run));
                    Console.WriteLine(Row(layout, run));
                    if (run.FirstError is not null)
                    {
                        Console.WriteLine($"  {run.Count - run.Connected} screens could not connect, e.g.: {run.FirstError}");
                    }
                }
            }
            finally
            {
                foreach (var o in Enumerable.Reverse(owned))
                {
                    await o.DisposeAsync();
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"payloads: snapshot {Encoding.UTF8.GetByteCount(payload ?? ""):N0} bytes of JSON, a second's change {Encoding.UTF8.GetByteCount(changePayload ?? ""):N0}; load average at the end {LoadAverage()}");
        Console.WriteLine("| layout | screens | connected | deliveries/screen/s | pushes/s | of pushes delivered | p50 | p99 | max | bytes a delivery | changes / whole / refetched | server CPU (cores) | server RSS | client CPU (cores) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (layout, run) in results)
        {
            Console.WriteLine(Row(layout, run));
        }
    }

    private static string Row(string layout, Run r) => string.Create(Inv,
        $"| {layout} | {r.Count:N0} | {r.Connected:N0}{(r.Lost > 0 ? $" ({r.Lost} lost)" : "")}{(r.JoinRetries + r.ConnectRetries > 0 ? $" ({r.ConnectRetries + r.JoinRetries} retries)" : "")} | {r.PerScreenPerSecond:0.00} | {r.PushesPerSecond:0.00} | {r.Completeness:P1} | {Ms(r.P50)} | {Ms(r.P99)} | {Ms(r.Max)} | {r.MeanBytes:N0} | {(r.Changes + r.Wholes + r.Misfits == 0 ? "–" : $"{r.Changes:N0} / {r.Wholes:N0} / {r.Misfits:N0}")} | {string.Join(" + ", r.Servers.Select(s => $"{s.Cpu:0.00}"))} | {string.Join(" + ", r.Servers.Select(s => $"{s.RssMiB:N0} MiB"))} | {r.ClientCpu:0.00} |");

    private static string Ms(double? ms) => ms is { } v ? string.Create(Inv, $"{v:N0} ms") : "–";

    private sealed record ServerFigures(string Name, double Cpu, double RssMiB);

    private sealed record Run(int Count, int Connected, string? FirstError, int JoinRetries, int ConnectRetries, int Lost, double PerScreenPerSecond, double PushesPerSecond, double Completeness, double? P50, double? P99, double? Max, double MeanBytes, long Changes, long Wholes, long Misfits, double ClientCpu, IReadOnlyList<ServerFigures> Servers);

    /// <summary>Runs the node screens once; samples each server's CPU time over exactly the measured window, and its RSS at the end.</summary>
    private static async Task<Run?> RunScreensAsync(string node, string script, string mode, Uri target, int count, int warmup, int seconds, int workers, TimeSpan runTimeout, List<(string Name, Process Process)> servers)
    {
        var info = new ProcessStartInfo(node)
        {
            WorkingDirectory = Path.GetDirectoryName(script)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in BenchClock.Environment)
        {
            info.Environment[k] = v;
        }

        foreach (var a in new[] { "--max-old-space-size=4096", script, "--url", target.ToString().TrimEnd('/'), "--mode", mode, "--count", count.ToString(Inv), "--warmup", warmup.ToString(Inv), "--seconds", seconds.ToString(Inv), "--workers", workers.ToString(Inv) })
        {
            info.ArgumentList.Add(a);
        }

        using var client = Children.Started(Process.Start(info) ?? throw new InvalidOperationException("node did not start"));
        var errors = new StringBuilder();
        client.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && errors.Length < 4000)
            {
                errors.AppendLine(e.Data);
            }
        };
        client.BeginErrorReadLine();
        var before = new Dictionary<int, (double Cpu, long At)>();
        string? result = null;
        IReadOnlyList<ServerFigures> figures = [];
        using var deadline = new CancellationTokenSource(runTimeout);
        try
        {
            while (await client.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line == "measuring")
                {
                    foreach (var (name, p) in servers)
                    {
                        before[p.Id] = (CpuSeconds(p.Id), Stopwatch.GetTimestamp());
                    }
                }
                else if (line == "measured")
                {
                    figures = Sample(servers, before);
                }
                else if (line.StartsWith('{'))
                {
                    result = line;
                    break;
                }
                else
                {
                    Console.WriteLine($"  {mode} {count}: {line}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Connecting the screens (or the run) took longer than the bound: reported as unfinished.
            Console.WriteLine($"  {mode} {count}: did not finish within {runTimeout.TotalSeconds:0} s");
            client.Kill(entireProcessTree: true);
            return null;
        }
        finally
        {
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await client.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                client.Kill(entireProcessTree: true);
            }
        }

        if (result is null)
        {
            throw new InvalidOperationException($"the screens gave no result:\n{errors}");
        }

        var json = JsonDocument.Parse(result).RootElement;
        long Count(string name) => json.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
        double? Nullable(string name) => json.GetProperty(name).ValueKind == JsonValueKind.Number ? json.GetProperty(name).GetDouble() : null;
        return new Run(count, json.GetProperty("connected").GetInt32(), json.GetProperty("firstError").GetString(), json.GetProperty("joinRetries").GetInt32(), json.GetProperty("connectRetries").GetInt32(), json.GetProperty("lost").GetInt32(), json.GetProperty("perScreenPerSecond").GetDouble(),
            json.GetProperty("pushesPerSecond").GetDouble(), json.GetProperty("completeness").GetDouble(), Nullable("p50"), Nullable("p99"), Nullable("max"), json.GetProperty("meanBytes").GetDouble(), Count("changes"), Count("wholes"), Count("misfits"), json.GetProperty("clientCpu").GetDouble(), figures);
    }

    private static List<ServerFigures> Sample(List<(string Name, Process Process)> servers, Dictionary<int, (double Cpu, long At)> before) =>
        servers.Select(s => new ServerFigures(s.Name,
            before.TryGetValue(s.Process.Id, out var b) ? (CpuSeconds(s.Process.Id) - b.Cpu) / Stopwatch.GetElapsedTime(b.At).TotalSeconds : double.NaN,
            RssMiB(s.Process.Id))).ToList();

    /// <summary>The Driftvy snapshot of the benchmark's board as the API serves it (the hub pushes the same record).</summary>
    private static async Task<string> SnapshotJsonAsync(Uri app)
    {
        using var http = new HttpClient { BaseAddress = app };
        return await http.GetStringAsync(new Uri("/api/boards/kontaktcenter/snapshot", UriKind.Relative));
    }

    /// <summary>
    /// What Driftvy pushes on an ordinary second: the change between two snapshots of the board taken a second apart
    /// (the bare broadcast of it is the raw limit for that payload).
    /// </summary>
    private static async Task<string> ChangeJsonAsync(Uri app)
    {
        var wire = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var first = JsonSerializer.Deserialize<Driftvy.Web.Dashboard.BoardSnapshot>(await SnapshotJsonAsync(app), wire)!;
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var second = JsonSerializer.Deserialize<Driftvy.Web.Dashboard.BoardSnapshot>(await SnapshotJsonAsync(app), wire)!;
        var change = Driftvy.Web.Dashboard.BoardDiff.Between(
            Driftvy.Web.Dashboard.PushedBoard.Of(first with { Seq = 1 }, wire), Driftvy.Web.Dashboard.PushedBoard.Of(second with { Seq = 2 }, wire))
            ?? throw new InvalidOperationException("the board's frame moved between two snapshots a second apart");
        return JsonSerializer.Serialize(change, wire);
    }

    /// <summary>
    /// Waits until a fresh instance is warm: its store ready, then <see cref="Settle"/> more, for the first polls of the
    /// day (which fold everything since midnight) to pass. Screens joining during that fold measure the cold start.
    /// </summary>
    private static async Task WarmAsync(Uri app)
    {
        for (var i = 0; i < 600; i++)
        {
            var snapshot = JsonDocument.Parse(await SnapshotJsonAsync(app)).RootElement;
            if (snapshot.GetProperty("state").GetString() == "ready")
            {
                await Task.Delay(Settle);
                return;
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException($"{app} never got ready");
    }

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    /// <summary>User plus system CPU seconds of a process (from /proc/PID/stat, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], Inv) + long.Parse(fields[12], Inv)) / 100.0;
    }

    private static double RssMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv) / 1024.0;
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string Text(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static int Number(string[] args, string name, int fallback) => int.Parse(Text(args, name, fallback.ToString(Inv)), Inv);
}
