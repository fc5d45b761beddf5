using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Driftvy.Web.Observability;
using Driftvy.Web.Sources.Ingestion.Formats;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Sources.Ingestion;

/// <summary>
/// Reads a system's own HTTP endpoint (a telephony platform's statistics, a case system's export, the finance system's
/// daily volumes, the HR system's staffing) as one canonical kind, through a configured field mapping: a new system needs
/// configuration, not code. The response (JSON, or CSV with its own headers) becomes canonical rows that go through the
/// same import as a file — validated, stored all or nothing, folded, shown. The source's watermark (the newest value of
/// its <see cref="HttpPollerOptions.WatermarkField"/>) is stored in the same transaction, so a restarted host resumes
/// where it stopped, and may be sent back to the system in the URL (<c>{watermark}</c>). A failing system is polled less
/// and less often (doubling up to <see cref="HttpPollerOptions.MaxBackoff"/>), and its error is shown in health.
/// </summary>
public sealed class HttpPoller
{
    public const string ClientName = "http-poller";

    private readonly IHttpClientFactory _http;
    private readonly ClientCredentialsTokens _tokens;
    private readonly ImportService _imports;
    private readonly IDbContextFactory<DriftvyDbContext> _contexts;
    private readonly SourceHealth _health;
    private readonly IngestionOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset NotBefore)> _backoff = new(StringComparer.Ordinal);

    public HttpPoller(
        IHttpClientFactory http, ImportService imports, IDbContextFactory<DriftvyDbContext> contexts, SourceHealth health, IOptions<IngestionOptions> options, TimeProvider time)
    {
        _http = http;
        _tokens = new ClientCredentialsTokens(http, time);
        _imports = imports;
        _contexts = contexts;
        _health = health;
        _options = options.Value;
        _time = time;
        foreach (var p in _options.HttpPollers)
        {
            HttpPollerPresets.Apply(p);
            health.Expect(p.Source, "http-poll", staleAfter: p.Interval * 3);
        }
    }

    /// <summary>
    /// The scheduled poll: skipped while the source is backing off after failures. Returns the import result, or null
    /// when skipped or when nothing newer than the watermark came back.
    /// </summary>
    public async Task<ImportResult?> PollIfDueAsync(string source, CancellationToken cancellationToken)
    {
        if (_backoff.TryGetValue(source, out var b) && _time.GetUtcNow() < b.NotBefore)
        {
            return null;
        }

        return await PollOnceAsync(source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>When the next scheduled poll of a backing-off source will run; null when it is not backing off.</summary>
    public DateTimeOffset? RetryAt(string source) => _backoff.TryGetValue(source, out var b) ? b.NotBefore : null;

    /// <summary>Polls once; returns the import result, or null when nothing newer than the watermark came back.</summary>
    public async Task<ImportResult?> PollOnceAsync(string source, CancellationToken cancellationToken)
    {
        var poller = _options.HttpPollers.SingleOrDefault(p => p.Source == source)
            ?? throw new InvalidOperationException($"No HTTP poller is configured for source '{source}'.");
        using var span = Observability.DriftvyTracing.Poll("http", source);
        try
        {
            var watermark = await ReadWatermarkAsync(source, cancellationToken).ConfigureAwait(false);
            List<Dictionary<string, string?>> rows = [];
            using (var response = await SendAsync(poller, watermark, cancellationToken).ConfigureAwait(false))
            {
                response.EnsureSuccessStatusCode();
                if (response.StatusCode != HttpStatusCode.NoContent)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    rows = IsJson(poller, body) ? MapJson(poller, body) : MapCsv(poller, body);
                }
            }

            _backoff.TryRemove(source, out _);
            var fresh = Fresh(poller, rows, watermark);
            if (fresh.Count == 0)
            {
                _health.RecordIngest(source, "http-poll", _time.GetUtcNow(), 0, 0, null, null);
                span.Polled(0);
                return null;
            }

            var import = new ImportRequest(poller.Kind, source, "http-poll")
            {
                Format = TextFormat.Json,
                Channel = "http-poll",
                MaxBytes = _options.MaxPushBytes,
                Watermark = NewestMark(poller, fresh) ?? watermark,
            };
            var result = await _imports.ImportAsync(import, JsonSerializer.SerializeToUtf8Bytes(fresh), null, cancellationToken).ConfigureAwait(false);
            span.Polled(fresh.Count);
            return result;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or FormatException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var failures = _backoff.TryGetValue(source, out var b) ? b.Failures + 1 : 1;
            var wait = TimeSpan.FromTicks(Math.Min(poller.MaxBackoff.Ticks, poller.Interval.Ticks * (1L << Math.Min(failures - 1, 20))));
            var retry = _time.GetUtcNow() + wait;
            _backoff[source] = (failures, retry);
            _health.RecordIngest(source, "http-poll", _time.GetUtcNow(), 0, 0, null,
                $"{ex.Message} ({failures} in a row; next try {retry.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)");
            span.Failed(ex);
            throw;
        }
    }

    /// <summary>
    /// Sends the poll. With a token endpoint, a 401 answer means the token was revoked or expired early: it is dropped and
    /// the request is sent once more with a fresh one.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpPollerOptions poller, string? watermark, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var method = poller.Method.Equals("POST", StringComparison.OrdinalIgnoreCase) ? HttpMethod.Post : HttpMethod.Get;
            using var request = new HttpRequestMessage(method, poller.Url.Replace("{watermark}", Uri.EscapeDataString(watermark ?? ""), StringComparison.Ordinal));
            if (method == HttpMethod.Post)
            {
                request.Content = new StringContent(HttpPollerPresets.Body(poller), System.Text.Encoding.UTF8, "application/json");
            }

            if (poller.TokenUrl.Length > 0)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                    "Bearer", await _tokens.GetAsync(poller, cancellationToken).ConfigureAwait(false));
            }
            else if (!string.IsNullOrEmpty(poller.AuthorizationHeader))
            {
                request.Headers.TryAddWithoutValidation("Authorization", poller.AuthorizationHeader);
            }

            var response = await _http.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || poller.TokenUrl.Length == 0 || attempt == 2)
            {
                return response;
            }

            response.Dispose();
            _tokens.Drop(poller.Source);
        }
    }

    /// <summary>The columns of a kind's canonical format, in order.</summary>
    internal static IReadOnlyList<string> ColumnsOf(IngestKind kind) => kind switch
    {
        IngestKind.Contacts => ContactFormat.Instance.Columns.Select(c => c.Name).ToList(),
        IngestKind.Cases => CaseFormat.Instance.Columns.Select(c => c.Name).ToList(),
        IngestKind.Volumes => VolumeFormat.Instance.Columns.Select(c => c.Name).ToList(),
        IngestKind.Staffing => StaffingFormat.Instance.Columns.Select(c => c.Name).ToList(),
        _ => SnapshotFormat.Instance.Columns.Select(c => c.Name).ToList(),
    };

    /// <summary>The response's JSON records as canonical rows (column → text), through the configured mapping.</summary>
    internal List<Dictionary<string, string?>> MapJson(HttpPollerOptions poller, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var records = JsonPath.Navigate(root, poller.RecordsPath);
        // An answer that is one object (a single queue's statistics) is one record.
        var list = records switch
        {
            { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().ToList(),
            { ValueKind: JsonValueKind.Object } one => [one],
            _ => throw new JsonException($"'{(poller.RecordsPath.Length == 0 ? "(response)" : poller.RecordsPath)}' is not an array of {poller.Kind.Name()} records"),
        };

        var responseAt = poller.AtPath.Length > 0 ? JsonPath.Scalar(JsonPath.Navigate(root, poller.AtPath)) : null;
        // An age(…) field counts from the snapshot's own time when the answer carries one, else from now.
        var now = responseAt is not null && DateTimeOffset.TryParse(responseAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : _time.GetUtcNow();
        var rows = new List<Dictionary<string, string?>>();
        foreach (var record in list)
        {
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var column in ColumnsOf(poller.Kind))
            {
                row[column] = JsonPath.Text(record, poller.Fields.TryGetValue(column, out var p) ? p : column, now);
            }

            rows.Add(Complete(poller, row, responseAt));
        }

        return rows;
    }

    /// <summary>A CSV response (its own header names, mapped through <see cref="HttpPollerOptions.Fields"/>) as canonical rows.</summary>
    internal List<Dictionary<string, string?>> MapCsv(HttpPollerOptions poller, string body)
    {
        var columns = ColumnsOf(poller.Kind);
        // Header names compare case-blind; columns the mapping does not name are the system's own and are left out.
        var specs = columns.Select(c => new ColumnSpec((poller.Fields.TryGetValue(c, out var h) ? h : c).Trim().ToLowerInvariant(), Optional: true)).ToList();
        var errors = new List<IngestError>();
        var rows = CsvRecordReader.Read(body, specs, errors, ignoreUnknown: true)
            .Select(raw => Complete(poller, columns.Select((c, i) => (c, raw.Values[i])).ToDictionary(x => x.c, x => x.Item2, StringComparer.Ordinal), null))
            .ToList();
        if (errors.Count > 0)
        {
            throw new FormatException($"The CSV response could not be read: {errors[0]}");
        }

        return rows;
    }

    private Dictionary<string, string?> Complete(HttpPollerOptions poller, Dictionary<string, string?> row, string? responseAt)
    {
        if (poller.Kind == IngestKind.Snapshots)
        {
            row["at"] ??= responseAt ?? _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        }

        if (row.TryGetValue("queue", out var queue) && queue is not null && poller.Queues.TryGetValue(queue, out var q))
        {
            row["queue"] = q;
        }

        if (row.TryGetValue("team", out var team) && team is not null && poller.Teams.TryGetValue(team, out var t))
        {
            row["team"] = t;
        }

        return row;
    }

    private static bool IsJson(HttpPollerOptions poller, string body) => poller.Format switch
    {
        TextFormat.Json => true,
        TextFormat.Csv => false,
        _ => body.AsSpan().TrimStart() is [ '[' or '{', ..],
    };

    /// <summary>
    /// Rows after the watermark. Only append-only kinds (contacts, snapshots) are cut there: a case, a day's volume or a
    /// month's staffing can change after it was first sent, and the import takes a repeat as a duplicate anyway.
    /// </summary>
    private static List<Dictionary<string, string?>> Fresh(HttpPollerOptions poller, List<Dictionary<string, string?>> rows, string? watermark)
    {
        if (watermark is null || poller.Kind is not (IngestKind.Contacts or IngestKind.Snapshots) || poller.WatermarkFieldOrDefault() is not { } field
            || !DateTimeOffset.TryParse(watermark, CultureInfo.InvariantCulture, DateTimeStyles.None, out var mark))
        {
            return rows;
        }

        return rows.Where(r => Instant(r.GetValueOrDefault(field)) is not { } at || at > mark).ToList();
    }

    /// <summary>The newest watermark field value among <paramref name="rows"/>, as stored (ISO 8601 UTC for instants).</summary>
    private static string? NewestMark(HttpPollerOptions poller, List<Dictionary<string, string?>> rows)
    {
        if (poller.WatermarkFieldOrDefault() is not { } field)
        {
            return null;
        }

        var instants = rows.Select(r => Instant(r.GetValueOrDefault(field))).Where(t => t is not null).ToList();
        if (instants.Count > 0)
        {
            return instants.Max()!.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }

        // Dates and months (volumes, staffing) compare as text in their canonical form.
        return rows.Select(r => r.GetValueOrDefault(field)).Where(v => v is not null).Max(StringComparer.Ordinal);
    }

    private async Task<string?> ReadWatermarkAsync(string source, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var mark = await db.SourceWatermarks.AsNoTracking().SingleOrDefaultAsync(w => w.Source == source, cancellationToken).ConfigureAwait(false);
        return mark?.Position;
    }

    private static DateTimeOffset? Instant(string? s) =>
        s is not null && s.Length > 10 && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
}
