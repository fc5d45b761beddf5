namespace Driftvy.Bench;

/// <summary>
/// The screens benchmark at a chosen moment (<c>--at 2026-12-01T10:00:00+01:00</c>: a weekday morning, queues open and
/// calls arriving, whenever it is run): Driftvy, the bare server and the node screens run under libfaketime with one
/// shared offset, so their clocks agree to the millisecond and the delays stay true. Redis and PostgreSQL keep the
/// machine's clock (redis-server aborts under the preload).
/// </summary>
internal static class BenchClock
{
    private const string Library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

    public static IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    public static string Described { get; private set; } = "clock: the machine's";

    public static void Set(DateTimeOffset at)
    {
        if (!File.Exists(Library))
        {
            throw new InvalidOperationException($"--at needs libfaketime ({Library}): apt-get install faketime");
        }

#pragma warning disable RS0030 // The benchmark's own command line is a composition root: the offset is from the machine's clock.
        var offset = (long)Math.Round((at - TimeProvider.System.GetUtcNow()).TotalSeconds);
#pragma warning restore RS0030
        Environment = new Dictionary<string, string>
        {
            ["LD_PRELOAD"] = Library,
            ["FAKETIME"] = (offset >= 0 ? "+" : "") + offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FAKETIME_DONT_RESET"] = "1",
        };
        Described = $"clock: the servers and screens run from {at:yyyy-MM-dd HH:mm zzz} (libfaketime, offset {offset} s)";
    }
}
