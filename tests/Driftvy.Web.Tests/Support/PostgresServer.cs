using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// A real PostgreSQL server in a temporary cluster on a free loopback port, started as a child process
/// (initdb + postgres) and stopped by PID. Each test asks for its own database.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private Process? _process;
    private string? _root;

    public string? BinDirectory { get; } = FindBin();

    public bool Available => BinDirectory is not null;

    public int Port { get; private set; }

    public string AdminConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=10";

    public async ValueTask InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        Port = Requirements.FreePort();
        _root = Path.Combine(Path.GetTempPath(), "driftvy-pg-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(_root);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb and postgres refuse to run as root: hand the folder to the postgres user.
            await RunAsync("chown", ["postgres", _root]);
        }

        await RunAsync(Path.Combine(BinDirectory!, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asRoot);
        _process = Start(Path.Combine(BinDirectory!, "postgres"),
            ["-D", data, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", _root, "-c", "listen_addresses=127.0.0.1",
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"], asRoot);
        if (!await Requirements.WaitUntilAsync(CanConnectAsync, TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException($"PostgreSQL did not accept connections on port {Port}");
        }
    }

    /// <summary>Creates an empty database for one test and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await cmd.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=10";
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_root is not null && Directory.Exists(_root))
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp cleaner.
            }
        }
    }

    private async Task<bool> CanConnectAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static string? FindBin()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.EnumerateDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderByDescending(b => b, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static Process Start(string program, string[] args, bool asPostgres)
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
        info.WithoutFakeTime();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunAsync(string program, string[] args, bool asPostgres = false)
    {
        using var process = Start(program, args, asPostgres);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited with {process.ExitCode}");
        }
    }
}
