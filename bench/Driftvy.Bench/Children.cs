using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Driftvy.Bench;

/// <summary>
/// Every process the benchmark starts (redis-server, PostgreSQL, Driftvy, HAProxy, the bare server, node), so that a
/// benchmark stopped with SIGTERM or Ctrl+C stops them too rather than leaving them on their ports.
/// </summary>
internal static class Children
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private static PosixSignalRegistration[] _signals = [];

    public static Process Started(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        Running[process.Id] = process;
        return process;
    }

    /// <summary>Stops them all when the benchmark is told to stop; the signal then ends the benchmark as usual.</summary>
    public static void StopOnSignals() =>
        _signals = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll()), PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillAll())];

    private static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }
}
