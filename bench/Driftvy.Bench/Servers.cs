using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Driftvy.Bench;

/// <summary>Child processes the benchmark starts on free loopback ports and stops by PID.</summary>
internal sealed class ChildServer(Process process, string name, string? folder) : IAsyncDisposable
{
    public string Name => name;

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        process.Dispose();
        if (folder is not null && Directory.Exists(folder))
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
}

internal static class Servers
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static readonly string[] Folders = ["/usr/bin", "/usr/sbin", "/usr/local/bin"];

    public static string Require(string program) =>
        Folders.Select(f => Path.Combine(f, program)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{program} was not found: install it with apt-get (redis-server, redis-tools, postgresql).");

    public static async Task<ChildServer> StartRedisAsync(int port)
    {
        var process = Start(Require("redis-server"), ["--port", Str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], asPostgres: false);
        var server = new ChildServer(process, "redis-server", null);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        await server.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException("redis-server did not start");
    }

    /// <summary>A throw-away PostgreSQL cluster (initdb into a temp folder; as the postgres user when run as root).</summary>
    public static async Task<(ChildServer Server, string ConnectionString)> StartPostgresAsync(int port)
    {
        var bin = Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL was not found: install it with apt-get install postgresql.");
        var root = Path.Combine(Path.GetTempPath(), "driftvy-bench-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync(Start("chown", ["postgres", root], false)).ConfigureAwait(false);
        }

        var data = Path.Combine(root, "data");
        await RunAsync(Start(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asRoot)).ConfigureAwait(false);
        var process = Start(Path.Combine(bin, "postgres"),
            ["-D", data, "-p", Str(port), "-k", root, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
             "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "shared_buffers=512MB", "-c", "max_wal_size=4GB"], asRoot);
        var server = new ChildServer(process, "postgres", root);
        var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=5";
        for (var i = 0; i < 300; i++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync().ConfigureAwait(false);
                await using var cmd = new NpgsqlCommand("CREATE DATABASE driftvy_bench", connection);
                await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
                return (server, $"Host=127.0.0.1;Port={port};Username=postgres;Database=driftvy_bench;Timeout=30;Command Timeout=600");
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or InvalidOperationException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        await server.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException("PostgreSQL did not start");
    }

    /// <summary>Runs redis-benchmark with <c>--csv</c> and returns requests per second of its (single) test.</summary>
    public static async Task<double> RedisBenchmarkAsync(int port, params string[] args)
    {
        var process = Start(Require("redis-benchmark"), ["-h", "127.0.0.1", "-p", Str(port), "--csv", .. args], asPostgres: false, captureOutput: true);
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        // CSV: a header line, then "test","rps",... per test.
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith('"') && !l.StartsWith("\"test\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("redis-benchmark printed no result: " + output);
        var cells = line.Split("\",\"");
        return double.Parse(cells[1].Trim('"'), CultureInfo.InvariantCulture);
    }

    /// <summary>The microseconds Redis has spent in commands since it started (the sum of INFO commandstats' usec).</summary>
    public static async Task<long> RedisBusyMicrosecondsAsync(int port)
    {
        var process = Start(Require("redis-cli"), ["-h", "127.0.0.1", "-p", Str(port), "info", "commandstats"], asPostgres: false, captureOutput: true);
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        // Lines such as: cmdstat_hgetall:calls=21064,usec=316418,usec_per_call=15.02,...
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("cmdstat_", StringComparison.Ordinal))
            .Sum(l => long.Parse(l.Split(',').First(c => c.StartsWith("usec=", StringComparison.Ordinal))[5..], CultureInfo.InvariantCulture));
    }

    private static string Str(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static Process Start(string program, string[] args, bool asPostgres, bool captureOutput = false)
    {
        var info = asPostgres ? new ProcessStartInfo("runuser") : new ProcessStartInfo(program);
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = Children.Started(Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start"));
        if (!captureOutput)
        {
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
        }

        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"a set-up step exited with {process.ExitCode}");
        }

        process.Dispose();
    }
}
