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

    /// <summary>HTTP endpoints polled for one canonical kind each (snapshots, cases, volumes, staffing, contacts), each with its own field mapping.</summary>
    public List<HttpPollerOptions> HttpPollers { get; set; } = [];

    internal static bool IsValid(IngestionOptions o) =>
        o.MaxFileBytes > 0 && o.MaxPushBytes > 0 && o.CatchUpInterval >= TimeSpan.Zero && o.CatchUpInterval <= TimeSpan.FromHours(1)
        // Room on both sides for any time zone's local date and a day bucket after it.
        && o.EarliestAccepted >= new DateTimeOffset(1, 1, 3, 0, 0, 0, TimeSpan.Zero) && o.EarliestAccepted.Year < 9000
        && o.MaxFuture >= TimeSpan.Zero && o.MaxFuture <= TimeSpan.FromDays(366)
        && DropFolderOptions.IsValid(o.DropFolder)
        && o.HttpPollers.All(HttpPollerOptions.IsValid)
        && o.HttpPollers.Select(p => p.Source).Distinct(StringComparer.Ordinal).Count() == o.HttpPollers.Count;

    internal const string ValidationMessage =
        "Ingestion: MaxFileBytes and MaxPushBytes must be > 0; CatchUpInterval between 00:00:00 and 01:00:00; " +
        "EarliestAccepted from 0001-01-03 and before year 9000; MaxFuture between 00:00:00 and 366.00:00:00; " +
        "DropFolder.PollInterval between 00:00:01 and 01:00:00 and SettleTime between 0 and 00:10:00; " +
        "each of HttpPollers needs a unique Source id, an absolute http(s) Url, Interval between 00:00:01 and 01:00:00, " +
        "MaxBackoff between Interval and 1.00:00:00, a WatermarkField that is a column of its Kind, Method GET or POST, a Preset " +
        "that is amazon-connect, genesys-cloud or twilio-taskrouter (or none), and with a TokenUrl (absolute http(s)) a ClientId and " +
        "a ClientSecret and no AuthorizationHeader (ClientId and ClientSecret only with a TokenUrl).";
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
/// A system's own HTTP endpoint read as one canonical kind (<see cref="Kind"/>, default snapshots). <see cref="Fields"/>
/// maps each canonical column of that kind (e.g. for snapshots <c>at, queue, waiting, longest_wait_s, agents_available,
/// agents_busy, agents_away</c>; for cases <c>case_id, team, kind, opened_at, closed_at, promised_days</c>) to a dotted
/// path inside one JSON record (<c>stats.waiting</c>) or to a CSV header name; <see cref="RecordsPath"/> is the path of
/// the JSON record array.
/// </summary>
public sealed class HttpPollerOptions
{
    /// <summary>Source id for health, watermarks and stored facts (e.g. <c>telia-ace</c>, <c>agresso</c>).</summary>
    public string Source { get; set; } = "";

    /// <summary>The address; <c>{watermark}</c> in it is replaced by the stored watermark (empty at first), URL-encoded.</summary>
    public string Url { get; set; } = "";

    /// <summary>What the endpoint returns: <c>Snapshots</c> (default), <c>Cases</c>, <c>Volumes</c>, <c>Staffing</c> or <c>Contacts</c>.</summary>
    public IngestKind Kind { get; set; } = IngestKind.Snapshots;

    /// <summary><c>Json</c>, <c>Csv</c> or <c>Auto</c> (default: JSON when the body starts with <c>[</c> or <c>{</c>).</summary>
    public TextFormat Format { get; set; } = TextFormat.Auto;

    /// <summary>Poll on a schedule. Off, the source stays configured (health, manual polls) but is not polled.</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>After failures in a row the interval doubles each time, up to this (hh:mm:ss). Default 5 minutes.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Dotted path of the array of records in a JSON response; empty when the response is the array.</summary>
    public string RecordsPath { get; set; } = "";

    /// <summary>Dotted path of a response-wide timestamp, used when a snapshot has no <c>at</c> of its own.</summary>
    public string AtPath { get; set; } = "";

    /// <summary>
    /// The canonical column whose newest value becomes the watermark. Default: <c>at</c> for snapshots, <c>offered_at</c>
    /// for contacts, none for the others. Contacts and snapshots at or before the watermark are skipped.
    /// </summary>
    public string WatermarkField { get; set; } = "";

    /// <summary>Canonical column → path inside a JSON record, or CSV header. A column left out takes the record's own field of that name.</summary>
    public Dictionary<string, string> Fields { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The system's queue names → Driftvy queue ids (e.g. <c>"KC Sthlm": "kc-stockholm"</c>).</summary>
    public Dictionary<string, string> Queues { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The system's team names → Driftvy team ids (e.g. <c>"Lev.reskontra": "leverantorsreskontra"</c>).</summary>
    public Dictionary<string, string> Teams { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Optional header sent with each request, e.g. <c>Authorization: Bearer …</c> (from the environment, never the repository).</summary>
    public string AuthorizationHeader { get; set; } = "";

    /// <summary>
    /// A ready mapping of a hosted contact centre's real-time queue statistics (<c>amazon-connect</c>, <c>twilio-taskrouter</c>):
    /// it sets the method, body, records path and fields this poller leaves unset. Empty: none.
    /// </summary>
    public string Preset { get; set; } = "";

    /// <summary><c>GET</c> (default) or <c>POST</c>.</summary>
    public string Method { get; set; } = "";

    /// <summary>
    /// The JSON body of a POST; <c>{queues}</c> in it becomes the JSON array of the <see cref="Queues"/> keys, and
    /// <c>{queueIdPredicates}</c> the array of <c>{"dimension":"queueId","value":key}</c> filters, one per key.
    /// </summary>
    public string Body { get; set; } = "";

    /// <summary>
    /// An OAuth 2.0 token endpoint: when set, each request carries <c>Authorization: Bearer</c> with a token obtained there
    /// by the client-credentials grant with <see cref="ClientId"/> and <see cref="ClientSecret"/> (instead of
    /// <see cref="AuthorizationHeader"/>).
    /// </summary>
    public string TokenUrl { get; set; } = "";

    /// <summary>The OAuth client id for <see cref="TokenUrl"/>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The OAuth client secret for <see cref="TokenUrl"/> (from the environment or a vault, never the repository).</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>An optional <c>scope</c> for the token request; empty: none sent.</summary>
    public string Scope { get; set; } = "";

    internal string? WatermarkFieldOrDefault() => WatermarkField.Length > 0 ? WatermarkField : Kind switch
    {
        IngestKind.Snapshots => "at",
        IngestKind.Contacts => "offered_at",
        _ => null,
    };

    internal static bool IsValid(HttpPollerOptions o) =>
        UnitDirectory.IsCode(o.Source)
        && Uri.TryCreate(o.Url.Replace("{watermark}", "", StringComparison.Ordinal), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && o.Interval >= TimeSpan.FromSeconds(1) && o.Interval <= TimeSpan.FromHours(1)
        && o.MaxBackoff >= o.Interval && o.MaxBackoff <= TimeSpan.FromDays(1)
        && Enum.IsDefined(o.Kind)
        && (o.Preset.Length == 0 || HttpPollerPresets.All.ContainsKey(o.Preset))
        && (o.Method.Length == 0 || o.Method.Equals("GET", StringComparison.OrdinalIgnoreCase) || o.Method.Equals("POST", StringComparison.OrdinalIgnoreCase))
        && (o.WatermarkField.Length == 0 || HttpPoller.ColumnsOf(o.Kind).Contains(o.WatermarkField, StringComparer.Ordinal))
        && (o.TokenUrl.Length == 0
            ? o.ClientId.Length == 0 && o.ClientSecret.Length == 0
            : Uri.TryCreate(o.TokenUrl, UriKind.Absolute, out var token) && (token.Scheme == Uri.UriSchemeHttp || token.Scheme == Uri.UriSchemeHttps)
              && o.ClientId.Length > 0 && o.ClientSecret.Length > 0 && o.AuthorizationHeader.Length == 0);
}
