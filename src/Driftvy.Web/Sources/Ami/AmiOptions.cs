using Driftvy.Web.Sources.Ingestion;

namespace Driftvy.Web.Sources.Ami;

/// <summary>Live queue state from Asterisk over the Manager Interface (AMI, TCP). Section <c>Sources:Ami</c>.</summary>
public sealed class AmiOptions
{
    public const string SectionName = "Sources:Ami";

    public bool Enabled { get; set; }

    /// <summary>Source id for health and stored snapshots. Default <c>asterisk-ami</c>.</summary>
    public string Source { get; set; } = "asterisk-ami";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 5038;

    /// <summary>A manager user (manager.conf) with read <c>agent,call</c> and write <c>reporting</c>.</summary>
    public string Username { get; set; } = "";

    /// <summary>Its secret: from the environment (<c>Sources__Ami__Secret</c>), never the repository; never logged.</summary>
    public string Secret { get; set; } = "";

    /// <summary>How often QueueStatus and QueueSummary are asked for (events keep the state current between). Default 5 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A Ping after this long without traffic; no answer within it again drops the connection. Default 20 s.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Reconnect waits double from 1 s up to this. Default 1 minute.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Asterisk queue name → Driftvy queue id; queues not listed are not shown.</summary>
    public Dictionary<string, string> Queues { get; set; } = new(StringComparer.Ordinal);

    internal static bool IsValid(AmiOptions o) =>
        !o.Enabled || (UnitDirectory.IsCode(o.Source) && !string.IsNullOrWhiteSpace(o.Host) && o.Port is > 0 and < 65536
            && o.Username.Length > 0 && o.Queues.Count > 0 && o.Queues.Values.All(UnitDirectory.IsCode)
            && o.PollInterval >= TimeSpan.FromSeconds(1) && o.PollInterval <= TimeSpan.FromHours(1)
            && o.KeepAlive >= TimeSpan.FromSeconds(1) && o.KeepAlive <= TimeSpan.FromMinutes(10)
            && o.MaxBackoff >= TimeSpan.FromSeconds(1) && o.MaxBackoff <= TimeSpan.FromHours(1));

    internal const string ValidationMessage =
        "Sources:Ami (when Enabled): Source a source id, Host and Port 1–65535, Username, at least one Queues entry mapping an Asterisk " +
        "queue to a queue id, PollInterval between 00:00:01 and 01:00:00, KeepAlive between 00:00:01 and 00:10:00, MaxBackoff between 00:00:01 and 01:00:00.";
}
