using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// External programs the server tests need. In CI (<c>CI=true</c>) a missing one fails the test;
/// on a developer machine the test is skipped with a message naming what to install.
/// </summary>
internal static class Requirements
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="program"/> on PATH (or in the usual sbin folders), or null.</summary>
    public static string? Find(string program, params string[] extraFolders)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/usr/local/bin"])
            .Concat(extraFolders);
        return folders.Select(f => Path.Combine(f, program)).FirstOrDefault(File.Exists);
    }

    /// <summary>Skips (developer machine) or fails (CI) when a required program is missing.</summary>
    public static void Require(bool available, string what, string install)
    {
        if (available)
        {
            return;
        }

        var message = $"{what} was not found: install it with `{install}`.";
        if (InCi)
        {
            Assert.Fail(message + " CI must provide it (.ci/run installs it).");
        }

        Assert.Skip(message);
    }

    /// <summary>
    /// Variables through which <c>faketime</c> (libfaketime) reaches a child process. The servers a fixture starts
    /// (redis-server, PostgreSQL, LibreOffice) run on the machine's own clock: redis-server aborts under
    /// the preload, and the clock the tests control is the app's injected <see cref="TimeProvider"/> anyway.
    /// </summary>
    private static readonly string[] FakeTimeVariables = ["LD_PRELOAD", "FAKETIME", "FAKETIME_NO_CACHE", "FAKETIME_TIMESTAMP_FILE", "FAKETIME_DONT_FAKE_MONOTONIC", "FAKETIME_DONT_RESET", "DYLD_INSERT_LIBRARIES", "DYLD_FORCE_FLAT_NAMESPACE"];

    /// <summary>Removes the libfaketime preload from a server's environment (see <see cref="FakeTimeVariables"/>).</summary>
    public static ProcessStartInfo WithoutFakeTime(this ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        foreach (var name in FakeTimeVariables)
        {
            info.Environment.Remove(name);
        }

        return info;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the timeout passes (no fixed sleeps).</summary>
    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50, cancellationToken);
        }

        return await condition();
    }
}
