using System.ComponentModel.DataAnnotations;

namespace Driftvy.Web.Sources.Telephony;

/// <summary>How the telephony source is polled. Section <c>Sources:Telephony</c>.</summary>
public sealed class TelephonyOptions
{
    public const string SectionName = "Sources:Telephony";

    /// <summary>Poll on a schedule. Off, nothing polls (tests and maintenance); the rest of the app runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two polls (hh:mm:ss). Default 5 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A source whose last successful poll is older than this many intervals is shown as stale.</summary>
    [Range(2, 100)]
    public int StaleAfterIntervals { get; set; } = 3;

    /// <summary>Which source feeds the queues: <c>simulator</c> (built in) for now.</summary>
    [Required]
    public string Kind { get; set; } = "simulator";

    public TimeSpan StaleAfter => PollInterval * StaleAfterIntervals;

    internal static bool IsValid(TelephonyOptions o) =>
        o.PollInterval >= TimeSpan.FromMilliseconds(100) && o.PollInterval <= TimeSpan.FromHours(1);
}
