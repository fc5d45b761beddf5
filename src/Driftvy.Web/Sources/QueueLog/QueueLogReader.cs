using System.Security.Cryptography;
using System.Text.Json;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Sources.Ingestion.Formats;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Sources.QueueLog;

/// <summary>The outcome of reading a piece of queue_log: the store's result, what the lines held and the calls left open.</summary>
public sealed record QueueLogResult(ImportResult Import, string Summary, int OpenCalls);

/// <summary>
/// Reads Asterisk's queue_log, as a whole file (<c>driftvy import queue-log</c>, all or nothing) or by following a live
/// file. Both turn lines into calls with <see cref="QueueLogCalls"/>, map queue names with <c>Sources:QueueLog:Queues</c>
/// and hand the ended calls to the <see cref="ImportService"/>, so they take the one ingestion path. The calls still open
/// at the end, and for a followed file its fingerprint and offset, are stored in the same transaction
/// (<see cref="QueueLogPosition"/>): the next file or poll completes them, and a restart resumes where the facts stop.
/// </summary>
public sealed class QueueLogReader(
    ImportService imports,
    IDbContextFactory<DriftvyDbContext> contexts,
    SourceHealth health,
    IOptions<QueueLogOptions> options,
    IOptions<IngestionOptions> ingestion,
    IOptions<StorageOptions> storage,
    IWebHostEnvironment environment,
    Privacy.CallerIdentity callers,
    TimeProvider time,
    ILogger<QueueLogReader> logger)
{
    private const int FingerprintBytes = 4096;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Imports one whole file: every line must parse and every queue must map, or nothing is stored.</summary>
    public async Task<QueueLogResult> ImportFileAsync(string path, string source, bool fold, CancellationToken cancellationToken)
    {
        var request = new ImportRequest(IngestKind.Contacts, source, Path.GetFileName(path)) { Channel = "cli", Fold = fold };
        var errors = new List<IngestError>();
        var limit = ingestion.Value.MaxFileBytes;
        if (new FileInfo(path).Length > limit)
        {
            errors.Add(new IngestError(0, null, $"larger than the limit of {limit:N0} bytes (Ingestion:MaxFileBytes); split the file"));
            return new(await imports.RefuseBuiltAsync(request, 0, errors, cancellationToken).ConfigureAwait(false), "", 0);
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var text = Utf8Text.Decode(bytes, errors);
        var position = await LoadAsync(source, cancellationToken).ConfigureAwait(false);
        var calls = new QueueLogCalls(position.Calls);
        if (text is null)
        {
            return new(await imports.RefuseBuiltAsync(request, 0, errors, cancellationToken).ConfigureAwait(false), calls.Counts.ToString(), calls.OpenCalls);
        }

        var units = await imports.UnitsAsync(cancellationToken).ConfigureAwait(false);
        var contacts = Read(text, 0, calls, units, errors, out var rows);
        if (errors.Count > 0)
        {
            return new(await imports.RefuseBuiltAsync(request, rows, errors, cancellationToken).ConfigureAwait(false), calls.Counts.ToString(), calls.OpenCalls);
        }

        // The file's calls still open wait for their endings in the next file of this source; its offset is no follower's.
        var next = position with { Calls = Protect(calls.State) };
        var built = new BuiltImport(contacts, [], rows, Convert.ToHexStringLower(SHA256.HashData(bytes))) { Alongside = (db, ct) => SaveAsync(db, source, next, ct) };
        var result = await imports.StoreBuiltAsync(request, built, units, cancellationToken).ConfigureAwait(false);
        return new(result, calls.Counts.ToString(), calls.OpenCalls);
    }

    /// <summary>
    /// One read of a followed file: the lines added since the last read (after a rotation, the rest of the old file first,
    /// then the new one from its start). A bad line is reported in the source's health and skipped; the rest goes on.
    /// </summary>
    public async Task<QueueLogResult?> FollowOnceAsync(QueueLogFileOptions file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var path = Resolve(file.Path);
        var request = new ImportRequest(IngestKind.Contacts, file.Source, Path.GetFileName(path)) { Channel = "queue-log" };
        if (!File.Exists(path))
        {
            health.RecordFailure(file.Source, time.GetUtcNow(), $"{path}: no such file (yet)");
            return null;
        }

        var position = await LoadAsync(file.Source, cancellationToken).ConfigureAwait(false);
        string? rest = null;
        string chunk;
        string fingerprint;
        long offset;
        long line;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await using (stream.ConfigureAwait(false))
        {
            var fp = await FingerprintAsync(stream, cancellationToken).ConfigureAwait(false);
            if (fp is null)
            {
                return null; // Not even one whole line yet.
            }

            (fingerprint, offset, line) = (fp, position.Offset, position.Line);
            if (position.Fingerprint != fp || stream.Length < position.Offset)
            {
                // Another file under the name (rotated: the fingerprint changed) or the same one cut short (copytruncate):
                // first the rest of the file that was being read, wherever rotation moved it, then the new one from its start.
                if (position.Fingerprint is { } old && position.Offset > 0)
                {
                    rest = await ReadRotatedRestAsync(path, old, position.Offset, cancellationToken).ConfigureAwait(false);
                    if (rest is null)
                    {
                        logger.LogWarning("queue_log {Source}: {Path} was rotated and the old file was not found beside it; lines written after the last read are lost", file.Source, path);
                    }
                }

                (offset, line) = (0, 0);
            }

            long consumed;
            (chunk, consumed) = await ReadLinesAsync(stream, offset, options.Value.MaxBytesPerPoll, cancellationToken).ConfigureAwait(false);
            offset += consumed;
        }

        var units = await imports.UnitsAsync(cancellationToken).ConfigureAwait(false);
        var calls = new QueueLogCalls(position.Calls);
        var errors = new List<IngestError>();
        var contacts = rest is null ? [] : Read(rest, (int)Math.Min(position.Line, int.MaxValue), calls, units, errors, out _);
        contacts.AddRange(Read(chunk, (int)Math.Min(line, int.MaxValue), calls, units, errors, out var rows));
        line += chunk.AsSpan().Count('\n');
        var now = time.GetUtcNow();
        var snapshots = Snapshots(calls, now, units);
        var next = new FollowPosition(fingerprint, offset, line, Protect(calls.State));
        if (contacts.Count == 0 && snapshots.Count == 0 && next == position && errors.Count == 0)
        {
            return null;
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes((rest ?? "") + chunk)));
        var built = new BuiltImport(contacts, snapshots, rows, sha) { Alongside = (db, ct) => SaveAsync(db, file.Source, next, ct) };
        var result = await imports.StoreBuiltAsync(request, built, units, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            // The good lines are stored; the bad ones are named in the source's health, with their lines in this read.
            health.RecordIngest(file.Source, "queue-log", now, 0, errors.Count, null,
                $"{path}: {errors.Count} line(s) skipped, first: {errors[0]}");
            logger.LogWarning("queue_log {Source}: {Count} line(s) skipped, first: {First}", file.Source, errors.Count, errors[0]);
        }

        return new(result, calls.Counts.ToString(), calls.OpenCalls);
    }

    /// <summary>Turns lines into contacts. A malformed line or an unmappable queue is an error naming its line.</summary>
    private List<ContactRecord> Read(string text, int firstLine, QueueLogCalls calls, UnitDirectory units, List<IngestError> errors, out int rows)
    {
        var ended = new List<QueueLogCall>();
        var contacts = new List<ContactRecord>();
        var lineNo = firstLine;
        rows = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNo++;
            if (raw.IsWhiteSpace())
            {
                continue;
            }

            rows++;
            if (!QueueLogLine.TryParse(raw.ToString(), out var e, out var problem))
            {
                errors.Add(new IngestError(lineNo, null, problem!));
                continue;
            }

            calls.Feed(e, lineNo, ended);
        }

        var queues = options.Value.Queues;
        foreach (var c in ended)
        {
            var (queue, problem) = units.Resolve(UnitDirectory.QueueKind, queues.GetValueOrDefault(c.AsteriskQueue) ?? c.AsteriskQueue);
            problem ??= units.Instants.Problem(c.Offered, c.Offered.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            if (problem is not null)
            {
                errors.Add(new IngestError(c.Line, "queue", $"Asterisk queue '{c.AsteriskQueue}': {problem} (map it with Sources:QueueLog:Queues:{c.AsteriskQueue})"));
                continue;
            }

            contacts.Add(new ContactRecord(c.ContactId, Channel.Phone, queue!, c.Offered, c.Answered, c.Abandoned, c.Ended, null)
            {
                CallerNumber = CallerNumber(c.Caller),
                CallerHash = c.CallerHash,
                CallerMask = c.CallerMask,
            });
        }

        errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        return contacts;
    }

    /// <summary>Only a number is kept as the caller (hashed by the store); "anonymous" and names are not callers to recognise.</summary>
    private static string? CallerNumber(string? callerId) =>
        callerId is { Length: > 0 and <= 32 } n && n.All(ch => char.IsAsciiDigit(ch) || ch == '+') ? n : null;

    /// <summary>
    /// The state to store: a call left open keeps its caller's keyed hash and mask (never the number), so that when its
    /// ending comes in a later file or read, after a restart too, it is stored with them like any other call.
    /// </summary>
    private QueueLogCallState Protect(QueueLogCallState state) => state with
    {
        Pending = [.. state.Pending.Select(p => p.CallerHash is null && CallerNumber(p.Caller) is { } n
            ? p with { CallerHash = callers.Hash(n), CallerMask = Privacy.CallerIdentity.Mask(n) }
            : p)],
    };

    private List<QueueSnapshot> Snapshots(QueueLogCalls calls, DateTimeOffset now, UnitDirectory units)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var list = new List<QueueSnapshot>();
        foreach (var (asterisk, id) in options.Value.Queues)
        {
            // Only a queue the import would take (Ingestion:UnknownUnits) gets a live snapshot.
            if (calls.Queues.Contains(asterisk, StringComparer.Ordinal) && units.Resolve(UnitDirectory.QueueKind, id).Problem is null)
            {
                var s = calls.Snapshot(asterisk, at);
                list.Add(new QueueSnapshot(at, id, s.Waiting, s.LongestWaitSeconds, s.Available, s.Busy, s.Paused));
            }
        }

        return list;
    }

    private string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var data = storage.Value.DataDirectory;
        data = Path.IsPathRooted(data) ? data : Path.Combine(environment.ContentRootPath, data);
        return Path.Combine(data, path);
    }

    /// <summary>SHA-256 of the file's first line (at most 4 KiB): names one file across renames; null until a line is complete.</summary>
    private static async Task<string?> FingerprintAsync(FileStream stream, CancellationToken cancellationToken)
    {
        var head = new byte[FingerprintBytes];
        stream.Position = 0;
        var n = await stream.ReadAtLeastAsync(head, FingerprintBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var end = Array.IndexOf(head, (byte)'\n', 0, n);
        if (end < 0 && n < FingerprintBytes)
        {
            return null;
        }

        return Convert.ToHexStringLower(SHA256.HashData(head.AsSpan(0, end < 0 ? n : end)));
    }

    /// <summary>The whole lines from <paramref name="offset"/>, at most <paramref name="max"/> bytes; a line still being written waits.</summary>
    private static async Task<(string Text, long Consumed)> ReadLinesAsync(FileStream stream, long offset, long max, CancellationToken cancellationToken)
    {
        var length = Math.Min(stream.Length - offset, max);
        if (length <= 0)
        {
            return ("", 0);
        }

        var buffer = new byte[length];
        stream.Position = offset;
        var n = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var last = Array.LastIndexOf(buffer, (byte)'\n', n - 1);
        if (last < 0)
        {
            return ("", 0);
        }

        return (System.Text.Encoding.UTF8.GetString(buffer, 0, last + 1), last + 1);
    }

    /// <summary>The rest of a rotated file (found beside the live one by its fingerprint: <c>queue_log.1</c>, <c>queue_log-20261130</c>).</summary>
    private static async Task<string?> ReadRotatedRestAsync(string path, string fingerprint, long offset, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path) ?? ".";
        var name = Path.GetFileName(path);
        foreach (var candidate in Directory.EnumerateFiles(directory, name + "*").Where(f => f != path).Order(StringComparer.Ordinal))
        {
            var stream = new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await using (stream.ConfigureAwait(false))
            {
                if (await FingerprintAsync(stream, cancellationToken).ConfigureAwait(false) == fingerprint && stream.Length >= offset)
                {
                    return (await ReadLinesAsync(stream, offset, long.MaxValue, cancellationToken).ConfigureAwait(false)).Text;
                }
            }
        }

        return null;
    }

    private async Task<FollowPosition> LoadAsync(string source, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.QueueLogPositions.AsNoTracking().FirstOrDefaultAsync(p => p.Source == source, cancellationToken).ConfigureAwait(false);
        return row is null ? FollowPosition.Start : JsonSerializer.Deserialize<FollowPosition>(row.StateJson, Json) ?? FollowPosition.Start;
    }

    private async Task SaveAsync(DriftvyDbContext db, string source, FollowPosition position, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(position, Json);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var row = await db.QueueLogPositions.FirstOrDefaultAsync(p => p.Source == source, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            db.QueueLogPositions.Add(new QueueLogPosition { Source = source, StateJson = json, UpdatedAtMs = now });
        }
        else
        {
            row.StateJson = json;
            row.UpdatedAtMs = now;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A followed file's identity (fingerprint of its first line), the bytes and lines read, and the calls left open.</summary>
    private sealed record FollowPosition(string? Fingerprint, long Offset, long Line, QueueLogCallState Calls)
    {
        public static FollowPosition Start => new(null, 0, 0, QueueLogCallState.Empty);

        public bool Equals(FollowPosition? other) =>
            other is not null && Fingerprint == other.Fingerprint && Offset == other.Offset && Line == other.Line
            && Calls.Pending.SequenceEqual(other.Calls.Pending) && Calls.Agents.SequenceEqual(other.Calls.Agents);

        public override int GetHashCode() => HashCode.Combine(Fingerprint, Offset, Line);
    }
}
