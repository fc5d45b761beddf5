using System.Security.Cryptography;
using Driftvy.Web.Kpis;
using Driftvy.Web.Observability;
using Driftvy.Web.Sources.Ingestion.Formats;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Sources.Ingestion;

/// <summary>What to import and on whose behalf.</summary>
/// <param name="Kind">Which canonical format the content is.</param>
/// <param name="Source">The source id stored with each fact and reported in health (e.g. <c>agresso</c>).</param>
/// <param name="Origin">Where it came from, for the import log: a file name, <c>push</c>, <c>http-poll</c>.</param>
public sealed record ImportRequest(IngestKind Kind, string Source, string Origin)
{
    public TextFormat Format { get; init; } = TextFormat.Auto;

    /// <summary>How the source delivers (<c>drop-folder</c>, <c>push</c>, <c>http-poll</c>, <c>cli</c>): shown in health.</summary>
    public string Channel { get; init; } = "cli";

    /// <summary>
    /// Fold new contacts and snapshots into this process's aggregates and notify the screens. Off for the
    /// command line: the running host folds the stored facts at its next catch-up.
    /// </summary>
    public bool Fold { get; init; } = true;

    /// <summary>Size limit in bytes; null → <c>Ingestion:MaxFileBytes</c>.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>A polled source's position after this content, stored in the same transaction.</summary>
    public string? Watermark { get; init; }
}

/// <summary>The outcome of one import. When <see cref="Committed"/> is false nothing was stored and every row counts as rejected.</summary>
public sealed record ImportResult(
    string Kind, string Source, bool Committed, int Rows, int Accepted, int Updated, int Duplicates, int Rejected, IReadOnlyList<IngestError> Errors)
{
    public long? BatchId { get; init; }
}

/// <summary>
/// Facts an adapter has already built from its own format (e.g. Asterisk's queue_log), stored like any import.
/// <see cref="Alongside"/> writes the adapter's own position in the same transaction.
/// </summary>
internal sealed record BuiltImport(IReadOnlyList<Driftvy.Domain.Contacts.ContactRecord> Contacts, IReadOnlyList<QueueSnapshot> Snapshots, int Rows, string Sha256)
{
    public Func<DriftvyDbContext, CancellationToken, Task>? Alongside { get; init; }
}

/// <summary>How far an import is: <c>parse</c> then <c>store</c>, with rows done out of the total.</summary>
public sealed record ImportProgress(string Phase, long Done, long Total);

/// <summary>
/// Validates a whole file (or push body) against its canonical format, then commits all of it in one
/// transaction or nothing. Rows already stored count as duplicates (ids; natural keys for volumes and
/// staffing, whose changed values replace the stored ones with an audit row). What was stored goes on
/// through the <see cref="IngestPipeline"/>, as a telephony poll's contacts do: folded, then screens and alerts told.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<DriftvyDbContext> contexts,
    Privacy.CallerIdentity callers,
    KpiSetup kpis,
    IngestPipeline pipeline,
    SourceHealth health,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<ImportService> logger,
    IEnumerable<IImportObserver> observers,
    Observability.DriftvyMetrics metrics)
{
    private readonly ContactBulkWriter _contacts = new(callers);

    public async Task<ImportResult> ImportAsync(ImportRequest request, Stream content, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        var limit = request.MaxBytes ?? options.Value.MaxFileBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > limit)
            {
                return await ObservedAsync(request, Refuse(request, 0, [TooLarge(limit)]), cancellationToken).ConfigureAwait(false);
            }

            buffer.Write(chunk, 0, n);
        }

        return await ImportAsync(request, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ImportResult> ImportAsync(ImportRequest request, ReadOnlyMemory<byte> content, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        using var span = Observability.DriftvyTracing.Ingest(request);
        var result = await ImportCoreAsync(request, content, progress, cancellationToken).ConfigureAwait(false);
        span.Imported(result);
        metrics.ImportTook(request, result, time.GetElapsedTime(started));
        return await ObservedAsync(request, result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells the observers (alerts: a rejected import raises one) how an import ended; their trouble never fails it.</summary>
    private async Task<ImportResult> ObservedAsync(ImportRequest request, ImportResult result, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.ImportFinishedAsync(request, result, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "An import observer failed");
            }
        }

        return result;
    }

    private async Task<ImportResult> ImportCoreAsync(ImportRequest request, ReadOnlyMemory<byte> content, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var limit = request.MaxBytes ?? options.Value.MaxFileBytes;
        if (content.Length > limit)
        {
            return Refuse(request, 0, [TooLarge(limit)]);
        }

        var errors = new List<IngestError>();
        var text = Utf8Text.Decode(content.Span, errors);
        if (text is null)
        {
            return Refuse(request, 0, errors);
        }

        var units = await LoadUnitsAsync(cancellationToken).ConfigureAwait(false);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        progress?.Report(new ImportProgress("parse", 0, 0));
        return request.Kind switch
        {
            IngestKind.Contacts => await ImportContactsAsync(request, text, sha, units, errors, progress, cancellationToken).ConfigureAwait(false),
            IngestKind.Cases => await ImportKeyedAsync(request, text, sha, CaseFormat.Instance, c => c.CaseId, c => c.ClosedAt ?? c.OpenedAt, BackOfficeFactWriter.WriteCasesAsync, units, errors, cancellationToken).ConfigureAwait(false),
            IngestKind.Volumes => await ImportKeyedAsync(request, text, sha, VolumeFormat.Instance, v => $"{v.Date:yyyy-MM-dd}/{v.Team}/{v.Kind}", _ => null, BackOfficeFactWriter.WriteVolumesAsync, units, errors, cancellationToken).ConfigureAwait(false),
            IngestKind.Staffing => await ImportKeyedAsync(request, text, sha, StaffingFormat.Instance, s => $"{s.Year:0000}-{s.Month:00}/{s.Team}", _ => null, BackOfficeFactWriter.WriteStaffingAsync, units, errors, cancellationToken).ConfigureAwait(false),
            IngestKind.Snapshots => await ImportSnapshotsAsync(request, text, sha, units, errors, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "unknown kind"),
        };
    }

    /// <remarks>
    /// A large file is stored while it is still being read: one task parses and validates, handing over
    /// chunks of good rows, while the transaction copies them in. A row with an error stops the hand-over
    /// and the transaction is rolled back, so a bad file still stores nothing, with every error listed.
    /// </remarks>
    private async Task<ImportResult> ImportContactsAsync(
        ImportRequest request, string text, string sha, UnitDirectory units, List<IngestError> errors, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        // The total is only known once the file is read; its line count is the estimate a progress bar needs.
        var estimate = Math.Max(1, text.AsSpan().Count('\n'));
        progress?.Report(new ImportProgress("store", 0, estimate));
        var stored = 0L;
        void Stored(int done)
        {
            stored = done;
            progress?.Report(new ImportProgress("store", done, Math.Max(done, estimate)));
        }

        async Task<((ImportResult? Committed, ContactStream Read, List<StoredContact> Added), StoredFacts)> StoreAsync()
        {
            var read = new ContactStream(text, request.Format, units, errors);
            List<StoredContact> added = [];
            try
            {
                var result = await CommitAsync(request, sha, () => read.Rows, units, async (db, batch) =>
                {
                    added = await _contacts.AddNewAsync(db, request.Source, read.ReadAllAsync(cancellationToken), batch.ReceivedAtMs, Stored, cancellationToken).ConfigureAwait(false);
                    await read.Completion.ConfigureAwait(false);
                    if (errors.Count > 0)
                    {
                        throw new RefusedFile();
                    }

                    return new WriteCounts(added.Count, 0, read.Rows - added.Count);
                }, cancellationToken).ConfigureAwait(false);
                return ((result, read, added), new StoredFacts(added, []));
            }
            catch (RefusedFile)
            {
                // Thrown inside the transaction so that disposing it rolls back what was already copied in.
                return ((null, read, []), StoredFacts.None);
            }
            finally
            {
                await read.DisposeAsync().ConfigureAwait(false);
            }
        }

        var (committed, stream, storedContacts) = await pipeline.RunAsync(StoreAsync, request.Fold, cancellationToken).ConfigureAwait(false);
        if (committed is null)
        {
            return Refuse(request, stream.Rows, errors);
        }

        progress?.Report(new ImportProgress("store", stored, stored));
        return AfterCommit(request, committed, storedContacts.Count > 0 ? stream.LatestOffered : null);
    }

    /// <summary>The queues and teams an adapter's records may name, and the instants they may carry.</summary>
    internal Task<UnitDirectory> UnitsAsync(CancellationToken cancellationToken) => LoadUnitsAsync(cancellationToken);

    /// <summary>Stores what an adapter built (contacts, snapshots, its position) in one transaction, then folds and notifies.</summary>
    internal async Task<ImportResult> StoreBuiltAsync(ImportRequest request, BuiltImport built, UnitDirectory units, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(built);
        var contacts = built.Contacts.DistinctBy(c => c.ContactId, StringComparer.Ordinal).ToList();
        var (result, added) = await pipeline.RunAsync(
            async () =>
            {
                List<StoredContact> stored = [];
                List<QueueSnapshot> snapshots = [];
                var result = await CommitAsync(request, built.Sha256, built.Rows, units, async (db, batch) =>
                {
                    stored = await _contacts.AddNewAsync(db, request.Source, OneChunk(contacts), batch.ReceivedAtMs, null, cancellationToken).ConfigureAwait(false);
                    if (built.Snapshots.Count > 0)
                    {
                        (_, snapshots) = await BackOfficeFactWriter.WriteSnapshotsAsync(db, batch, built.Snapshots, cancellationToken).ConfigureAwait(false);
                    }

                    if (built.Alongside is { } alongside)
                    {
                        await alongside(db, cancellationToken).ConfigureAwait(false);
                    }

                    return new WriteCounts(stored.Count + snapshots.Count, 0, contacts.Count - stored.Count);
                }, cancellationToken).ConfigureAwait(false);
                return ((result, stored), new StoredFacts(stored, snapshots));
            },
            request.Fold,
            cancellationToken).ConfigureAwait(false);
        var latest = added.Count > 0 ? added.Max(c => c.Contact.OfferedAt) : (DateTimeOffset?)null;
        return await ObservedAsync(request, AfterCommit(request, result, latest), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses what an adapter read: nothing is stored; the errors go to the source's health and the observers.</summary>
    internal Task<ImportResult> RefuseBuiltAsync(ImportRequest request, int rows, List<IngestError> errors, CancellationToken cancellationToken) =>
        ObservedAsync(request, Refuse(request, rows, errors), cancellationToken);

    private static async IAsyncEnumerable<IReadOnlyList<Driftvy.Domain.Contacts.ContactRecord>> OneChunk(List<Driftvy.Domain.Contacts.ContactRecord> contacts)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        if (contacts.Count > 0)
        {
            yield return contacts;
        }
    }

    private async Task<ImportResult> ImportSnapshotsAsync(
        ImportRequest request, string text, string sha, UnitDirectory units, List<IngestError> errors, CancellationToken cancellationToken)
    {
        var parsed = RecordParser.Parse(text, request.Format, SnapshotFormat.Instance, units, errors);
        if (errors.Count > 0)
        {
            return Refuse(request, parsed.Rows, errors);
        }

        var snapshots = parsed.Records.Select(p => p.Record).DistinctBy(s => (s.Queue, s.At.ToUnixTimeMilliseconds())).ToList();
        var (result, added) = await pipeline.RunAsync(
            async () =>
            {
                List<QueueSnapshot> added = [];
                var result = await CommitAsync(request, sha, parsed.Rows, units, async (db, batch) =>
                {
                    var (counts, stored) = await BackOfficeFactWriter.WriteSnapshotsAsync(db, batch, snapshots, cancellationToken).ConfigureAwait(false);
                    added = stored;
                    return counts with { Duplicates = parsed.Rows - counts.Accepted };
                }, cancellationToken).ConfigureAwait(false);
                return ((result, added), new StoredFacts([], added));
            },
            request.Fold,
            cancellationToken).ConfigureAwait(false);

        return AfterCommit(request, result, added.Count > 0 ? added.Max(s => s.At) : null);
    }

    private async Task<ImportResult> ImportKeyedAsync<T>(
        ImportRequest request, string text, string sha, IRecordFormat<T> format, Func<T, string> key, Func<T, DateTimeOffset?> recordTime,
        Func<DriftvyDbContext, IngestBatch, IReadOnlyList<T>, CancellationToken, Task<WriteCounts>> write,
        UnitDirectory units, List<IngestError> errors, CancellationToken cancellationToken)
        where T : class
    {
        var parsed = RecordParser.Parse(text, request.Format, format, units, errors);

        // These records change over time (last write wins), so two values for one key in one file are ambiguous.
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in parsed.Records)
        {
            var k = key(p.Record);
            if (!lines.TryAdd(k, p.Line))
            {
                errors.Add(new IngestError(p.Line, format.Columns[0].Name, $"'{k}' already appears on line {lines[k]}; a file may give each key only once"));
            }
        }

        if (errors.Count > 0)
        {
            return Refuse(request, parsed.Rows, errors.OrderBy(e => e.Line).ToList());
        }

        var records = parsed.Records.Select(p => p.Record).ToList();
        var result = await pipeline.RunAsync(
            async () =>
            {
                var result = await CommitAsync(request, sha, parsed.Rows, units, (db, batch) => write(db, batch, records, cancellationToken), cancellationToken).ConfigureAwait(false);
                return (result, new StoredFacts([], [], BackOffice: result.Accepted + result.Updated > 0));
            },
            request.Fold,
            cancellationToken).ConfigureAwait(false);
        return AfterCommit(request, result, records.Select(recordTime).Max());
    }

    private Task<ImportResult> CommitAsync(
        ImportRequest request, string sha, int rows, UnitDirectory units, Func<DriftvyDbContext, IngestBatch, Task<WriteCounts>> write, CancellationToken cancellationToken) =>
        CommitAsync(request, sha, () => rows, units, write, cancellationToken);

    /// <summary>
    /// One transaction: the import log row, the watermark, the facts and the units they brought; all or nothing.
    /// The row count and the new units are read after <paramref name="write"/>: a streamed file is only fully read then.
    /// </summary>
    private async Task<ImportResult> CommitAsync(
        ImportRequest request, string sha, Func<int> rowCount, UnitDirectory units, Func<DriftvyDbContext, IngestBatch, Task<WriteCounts>> write, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var batch = new IngestBatch
        {
            Source = request.Source, Kind = request.Kind.Name(), Origin = Truncate(request.Origin, 260), ContentSha256 = sha, ReceivedAtMs = now,
        };
        db.IngestBatches.Add(batch);

        if (request.Watermark is { } position)
        {
            var mark = await db.SourceWatermarks.FindAsync([request.Source], cancellationToken).ConfigureAwait(false);
            if (mark is null)
            {
                db.SourceWatermarks.Add(new SourceWatermark { Source = request.Source, Position = position, UpdatedAtMs = now });
            }
            else
            {
                mark.Position = position;
                mark.UpdatedAtMs = now;
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var counts = await write(db, batch).ConfigureAwait(false);
        var rows = rowCount();
        batch.Rows = rows;
        foreach (var (kind, id) in units.NewUnits)
        {
            db.RegisteredUnits.Add(new RegisteredUnit { UnitKind = kind, UnitId = id, Source = request.Source, FirstSeenAtMs = now });
        }

        batch.Accepted = counts.Accepted;
        batch.Updated = counts.Updated;
        batch.Duplicates = counts.Duplicates;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ImportResult(request.Kind.Name(), request.Source, true, rows, counts.Accepted, counts.Updated, counts.Duplicates, 0, []) { BatchId = batch.Id };
    }

    private ImportResult AfterCommit(ImportRequest request, ImportResult result, DateTimeOffset? latest)
    {
        health.RecordIngest(request.Source, request.Channel, time.GetUtcNow(), result.Accepted + result.Updated, 0, latest, null);
        logger.LogInformation("Imported {Kind} from {Source} ({Origin}): {Accepted} new, {Updated} updated, {Duplicates} duplicate",
            result.Kind, request.Source, request.Origin, result.Accepted, result.Updated, result.Duplicates);
        return result;
    }

    private ImportResult Refuse(ImportRequest request, int rows, List<IngestError> errors)
    {
        var first = errors.Count > 0 ? errors[0].ToString() : "refused";
        health.RecordIngest(request.Source, request.Channel, time.GetUtcNow(), 0, rows, null,
            $"{request.Origin}: {errors.Count} error(s), first: {first}");
        return new ImportResult(request.Kind.Name(), request.Source, false, rows, 0, 0, 0, rows, errors);
    }

    private static IngestError TooLarge(long limit) =>
        new(0, null, $"larger than the limit of {limit:N0} bytes (Ingestion:MaxFileBytes / MaxPushBytes); split the file");

    private async Task<UnitDirectory> LoadUnitsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var registered = await db.RegisteredUnits.AsNoTracking().Select(u => new { u.UnitKind, u.UnitId }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var organisation = kpis.Organisation;
        return new UnitDirectory(
            organisation.Queues.Select(q => q.Id).ToHashSet(StringComparer.Ordinal),
            organisation.Teams.Select(t => t.Id).ToHashSet(StringComparer.Ordinal),
            registered.Select(u => (u.UnitKind, u.UnitId)).ToHashSet(),
            options.Value.UnknownUnits,
            Formats.InstantWindow.From(options.Value, time.GetUtcNow()));
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    /// <summary>A streamed file turned out to have bad rows: unwinds the transaction that was storing it.</summary>
    private sealed class RefusedFile : Exception
    {
        public RefusedFile()
            : base("The file has rows with errors.")
        {
        }
    }
}
