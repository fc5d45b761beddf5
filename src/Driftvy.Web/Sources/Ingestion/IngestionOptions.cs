namespace Driftvy.Web.Sources.Ingestion;

/// <summary>How data comes in (files, push API, pollers). Section <c>Ingestion</c>.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Largest file (drop folder, command line) in bytes. Default 256 MiB (about 1.5 million contacts).</summary>
    public long MaxFileBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Largest push-API request body in bytes. Default 16 MiB.</summary>
    public long MaxPushBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>A queue or team not in <c>seed/queues.json</c>: <c>Reject</c> the row (default) or <c>Register</c> it.</summary>
    public UnknownUnitPolicy UnknownUnits { get; set; } = UnknownUnitPolicy.Reject;

    /// <summary>
    /// How often the host folds facts another process stored (e.g. <c>driftvy import</c>) into its aggregates.
    /// Zero turns it off.
    /// </summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The earliest instant a row may carry (offered, answered, opened, closed, snapshot time); earlier rows are
    /// refused with their line and column. Default 2000-01-01T00:00:00+00:00.
    /// </summary>
    public DateTimeOffset EarliestAccepted { get; set; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far past the host's clock an instant may lie (a sender's clock running ahead); later rows are refused. Default 1 day.</summary>
    public TimeSpan MaxFuture { get; set; } = TimeSpan.FromDays(1);

    public DropFolderOptions DropFolder { get; set; } = new();

    /// <summary>JSON endpoints polled for queue snapshots, each with its own field mapping.</summary>
    public List<HttpSnapshotPollerOptions> HttpPollers { get; set; } = [];

    internal static bool IsValid(IngestionOptions o) =>
        o.MaxFileBytes > 0 && o.MaxPushBytes > 0 && o.CatchUpInterval >= TimeSpan.Zero && o.CatchUpInterval <= TimeSpan.FromHours(1)
        // Room on both sides for any time zone's local date and a day bucket after it.
        && o.EarliestAccepted >= new DateTimeOffset(1, 1, 3, 0, 0, 0, TimeSpan.Zero) && o.EarliestAccepted.Year < 9000
        && o.MaxFuture >= TimeSpan.Zero && o.MaxFuture <= TimeSpan.FromDays(366)
        && DropFolderOptions.IsValid(o.DropFolder)
        && o.HttpPollers.All(HttpSnapshotPollerOptions.IsValid)
        && o.HttpPollers.Select(p => p.Source).Distinct(StringComparer.Ordinal).Count() == o.HttpPollers.Count;

    internal const string ValidationMessage =
        "Ingestion: MaxFileBytes and MaxPushBytes must be > 0; CatchUpInterval between 00:00:00 and 01:00:00; " +
        "EarliestAccepted from 0001-01-03 and before year 9000; MaxFuture between 00:00:00 and 366.00:00:00; " +
        "DropFolder.PollInterval between 00:00:01 and 01:00:00 and SettleTime between 0 and 00:10:00; " +
        "each of HttpPollers needs a unique Source id, an absolute http(s) Url, Interval between 00:00:01 and 01:00:00.";
}

/// <summary>
/// The drop folder: <c>{Directory}/{source}/{kind}*.csv|json</c> (e.g. <c>inbox/agresso/volumes-2026-11.csv</c>);
/// each file is committed whole and moved to <c>{source}/processed/</c> or <c>{source}/rejected/</c>.
/// </summary>
public sealed class DropFolderOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Root folder; relative paths resolve against <c>Storage:DataDirectory</c>. Default <c>inbox</c>.</summary>
    public string Directory { get; set; } = "inbox";

    /// <summary>Time between two scans (hh:mm:ss). Default 10 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A file is taken only once it has not changed for this long (a copy may still be running). Default 2 s.</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(2);

    internal static bool IsValid(DropFolderOptions o) =>
        !string.IsNullOrWhiteSpace(o.Directory)
        && o.PollInterval >= TimeSpan.FromSeconds(1) && o.PollInterval <= TimeSpan.FromHours(1)
        && o.SettleTime >= TimeSpan.Zero && o.SettleTime <= TimeSpan.FromMinutes(10);
}

/// <summary>
/// A platform's own statistics endpoint read as queue snapshots. <see cref="Fields"/> maps each canonical
/// column (<c>at, queue, waiting, longest_wait_s, agents_available, agents_busy, agents_away</c>) to a dotted
/// path inside one record (<c>stats.waiting</c>); <see cref="RecordsPath"/> is the path of the record array.
/// </summary>
public sealed class HttpSnapshotPollerOptions
{
    /// <summary>Source id for health, watermarks and stored facts (e.g. <c>telia-ace</c>).</summary>
    public string Source { get; set; } = "";

    public string Url { get; set; } = "";

    /// <summary>Poll on a schedule. Off, the source stays configured (health, manual polls) but is not polled.</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Dotted path of the array of queue records in the response; empty when the response is the array.</summary>
    public string RecordsPath { get; set; } = "";

    /// <summary>Dotted path of a response-wide timestamp, used when a record has no <c>at</c> of its own.</summary>
    public string AtPath { get; set; } = "";

    /// <summary>Canonical column → path inside a record. A column left out takes the record's own property of that name.</summary>
    public Dictionary<string, string> Fields { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The platform's queue names → Driftvy queue ids (e.g. <c>"KC Sthlm": "kc-stockholm"</c>).</summary>
    public Dictionary<string, string> Queues { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Optional header sent with each request, e.g. <c>Authorization: Bearer …</c> (from the environment, never the repository).</summary>
    public string AuthorizationHeader { get; set; } = "";

    internal static bool IsValid(HttpSnapshotPollerOptions o) =>
        UnitDirectory.IsCode(o.Source)
        && Uri.TryCreate(o.Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && o.Interval >= TimeSpan.FromSeconds(1) && o.Interval <= TimeSpan.FromHours(1);
}
