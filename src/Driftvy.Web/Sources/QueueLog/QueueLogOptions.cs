using Driftvy.Web.Sources.Ingestion;

namespace Driftvy.Web.Sources.QueueLog;

/// <summary>Asterisk/FreePBX queue_log: the queue mapping, and the live files to follow. Section <c>Sources:QueueLog</c>.</summary>
public sealed class QueueLogOptions
{
    public const string SectionName = "Sources:QueueLog";

    /// <summary>Asterisk queue name → Driftvy queue id (e.g. <c>"600": "kc-stockholm"</c>). An unmapped queue follows <c>Ingestion:UnknownUnits</c>.</summary>
    public Dictionary<string, string> Queues { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Live queue_log files to follow, each under its own source id.</summary>
    public List<QueueLogFileOptions> Files { get; set; } = [];

    /// <summary>Time between two reads of each followed file. Default 5 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most one poll reads of a file (the rest follows at the next poll). Default 16 MiB.</summary>
    public long MaxBytesPerPoll { get; set; } = 16L * 1024 * 1024;

    internal static bool IsValid(QueueLogOptions o) =>
        o.PollInterval >= TimeSpan.FromSeconds(1) && o.PollInterval <= TimeSpan.FromHours(1)
        && o.MaxBytesPerPoll >= 4096
        && o.Queues.Values.All(UnitDirectory.IsCode)
        && o.Files.All(f => UnitDirectory.IsCode(f.Source) && !string.IsNullOrWhiteSpace(f.Path))
        && o.Files.Select(f => f.Source).Distinct(StringComparer.Ordinal).Count() == o.Files.Count;

    internal const string ValidationMessage =
        "Sources:QueueLog: PollInterval between 00:00:01 and 01:00:00; MaxBytesPerPoll at least 4096; each Queues value a queue id " +
        "(lower-case letters, digits, '_' or '-'); each of Files needs a unique Source id of that form and a Path.";
}

/// <summary>One followed queue_log: <c>Sources:QueueLog:Files:0:Source=freepbx</c>, <c>…:Path=/var/log/asterisk/queue_log</c>.</summary>
public sealed class QueueLogFileOptions
{
    /// <summary>Source id for health and stored facts (e.g. <c>freepbx</c>).</summary>
    public string Source { get; set; } = "";

    /// <summary>The live file; relative paths resolve against <c>Storage:DataDirectory</c>.</summary>
    public string Path { get; set; } = "";
}
