using System.Globalization;
using System.Text.Json;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Sources.Ingestion;

/// <summary>
/// Reads a platform's JSON statistics endpoint as queue snapshots through a configured field mapping,
/// so a new platform needs configuration, not code. The mapped records go through the same import
/// (validation, idempotent store, fold) as a file; the source's watermark (the newest <c>at</c> stored)
/// is written in the same transaction, so a restarted host resumes where it stopped.
/// </summary>
public sealed class HttpSnapshotPoller
{
    public const string ClientName = "snapshot-poller";
    private static readonly string[] Columns = ["at", "queue", "waiting", "longest_wait_s", "agents_available", "agents_busy", "agents_away"];

    private readonly IHttpClientFactory _http;
    private readonly ImportService _imports;
    private readonly IDbContextFactory<DriftvyDbContext> _contexts;
    private readonly SourceHealth _health;
    private readonly IngestionOptions _options;
    private readonly TimeProvider _time;

    public HttpSnapshotPoller(
        IHttpClientFactory http, ImportService imports, IDbContextFactory<DriftvyDbContext> contexts, SourceHealth health, IOptions<IngestionOptions> options, TimeProvider time)
    {
        _http = http;
        _imports = imports;
        _contexts = contexts;
        _health = health;
        _options = options.Value;
        _time = time;
        foreach (var p in _options.HttpPollers)
        {
            health.Expect(p.Source, "http-poll", scheduled: true, staleAfter: p.Interval * 3);
        }
    }

    /// <summary>Polls once; returns the import result, or null when nothing newer than the watermark came back.</summary>
    public async Task<ImportResult?> PollOnceAsync(string source, CancellationToken cancellationToken)
    {
        var poller = _options.HttpPollers.SingleOrDefault(p => p.Source == source)
            ?? throw new InvalidOperationException($"No HTTP poller is configured for source '{source}'.");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, poller.Url);
            if (!string.IsNullOrEmpty(poller.AuthorizationHeader))
            {
                request.Headers.TryAddWithoutValidation("Authorization", poller.AuthorizationHeader);
            }

            using var response = await _http.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            var rows = Map(poller, doc.RootElement);
            var watermark = await ReadWatermarkAsync(source, cancellationToken).ConfigureAwait(false);
            var fresh = rows.Where(r => watermark is null || At(r) is not { } at || at > watermark).ToList();
            if (fresh.Count == 0)
            {
                _health.RecordIngest(source, "http-poll", _time.GetUtcNow(), 0, 0, null, null);
                return null;
            }

            var newest = fresh.Select(At).Max();
            var payload = JsonSerializer.SerializeToUtf8Bytes(fresh);
            var import = new ImportRequest(Ingestion.IngestKind.Snapshots, source, "http-poll")
            {
                Format = TextFormat.Json,
                Channel = "http-poll",
                MaxBytes = _options.MaxPushBytes,
                Watermark = newest?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            };
            return await _imports.ImportAsync(import, payload, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _health.RecordIngest(source, "http-poll", _time.GetUtcNow(), 0, 0, null, ex.Message);
            throw;
        }
    }

    /// <summary>The response's records as canonical snapshot rows (column → text), through the configured mapping.</summary>
    internal List<Dictionary<string, string?>> Map(HttpSnapshotPollerOptions poller, JsonElement root)
    {
        var records = Navigate(root, poller.RecordsPath);
        if (records is not { ValueKind: JsonValueKind.Array } array)
        {
            throw new JsonException($"'{(poller.RecordsPath.Length == 0 ? "(response)" : poller.RecordsPath)}' is not an array of queue records");
        }

        var responseAt = poller.AtPath.Length > 0 ? Text(Navigate(root, poller.AtPath)) : null;
        var rows = new List<Dictionary<string, string?>>();
        foreach (var record in array.EnumerateArray())
        {
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var column in Columns)
            {
                var path = poller.Fields.TryGetValue(column, out var p) ? p : column;
                row[column] = Text(Navigate(record, path));
            }

            row["at"] ??= responseAt ?? _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
            if (row["queue"] is { } queue && poller.Queues.TryGetValue(queue, out var mapped))
            {
                row["queue"] = mapped;
            }

            rows.Add(row);
        }

        return rows;
    }

    private async Task<DateTimeOffset?> ReadWatermarkAsync(string source, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var mark = await db.SourceWatermarks.AsNoTracking().SingleOrDefaultAsync(w => w.Source == source, cancellationToken).ConfigureAwait(false);
        return mark is not null && DateTimeOffset.TryParse(mark.Position, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
    }

    private static DateTimeOffset? At(Dictionary<string, string?> row) =>
        row["at"] is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;

    private static JsonElement? Navigate(JsonElement element, string path)
    {
        if (path.Length == 0)
        {
            return element;
        }

        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return null;
            }
        }

        return element;
    }

    private static string? Text(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };
}
