using System.Globalization;
using Driftvy.Web.Storage;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Sources.Ingestion;

/// <summary>What happened to one dropped file.</summary>
public sealed record DropFileOutcome(string Source, string File, string MovedTo, ImportResult? Result);

/// <summary>
/// The drop folder: <c>{root}/{source}/{kind}-….csv|json</c>. Each settled file is imported whole, then
/// moved to <c>{source}/processed/</c> or, with a <c>.errors.txt</c> naming line, column and reason, to
/// <c>{source}/rejected/</c>. The move comes after the commit: a crash in between re-imports the file at
/// the next scan, where every row is a duplicate, so each row still counts once.
/// </summary>
public sealed class DropFolderService(
    ImportService imports,
    SourceHealth health,
    IOptions<IngestionOptions> options,
    IOptions<StorageOptions> storage,
    IWebHostEnvironment environment,
    TimeProvider time,
    ILogger<DropFolderService> logger)
{
    public const string Processed = "processed";
    public const string Rejected = "rejected";

    // Each file's size and write time as last seen, and since when (on the injected clock) they have not changed.
    // Settling is observed rather than read off the file's own time stamp, which is the machine's clock (or the
    // sending machine's, on a network share) and says nothing about this host's.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Length, DateTime WrittenUtc, DateTimeOffset UnchangedSince)> _seen = new(StringComparer.Ordinal);

    public string Root
    {
        get
        {
            var data = storage.Value.DataDirectory;
            data = Path.IsPathRooted(data) ? data : Path.Combine(environment.ContentRootPath, data);
            var folder = options.Value.DropFolder.Directory;
            return Path.IsPathRooted(folder) ? folder : Path.Combine(data, folder);
        }
    }

    public async Task<IReadOnlyList<DropFileOutcome>> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var root = Root;
        Directory.CreateDirectory(root);
        var outcomes = new List<DropFileOutcome>();
        // A file watched for settling that is gone (taken away by its sender) is forgotten.
        foreach (var gone in _seen.Keys.Where(f => !File.Exists(f)).ToList())
        {
            _seen.TryRemove(gone, out _);
        }

        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var source = Path.GetFileName(folder);
            // The drop folder never leaves its root: a linked source folder would import, and move, files elsewhere.
            if (NoFollowFile.IsLink(folder))
            {
                logger.LogWarning("Drop folder {Folder} ignored: it is a symbolic link, which the drop folder does not follow", folder);
                continue;
            }

            if (!UnitDirectory.IsCode(source))
            {
                logger.LogWarning("Drop folder {Folder} ignored: a source folder is named with lower-case letters, digits, '_' or '-'", folder);
                continue;
            }

            health.Expect(source, "drop-folder", staleAfter: null);
            foreach (var file in Directory.EnumerateFiles(folder).Where(IsDataFile).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!HasSettled(file))
                {
                    continue;
                }

                _seen.TryRemove(file, out _);

                try
                {
                    outcomes.Add(await ImportFileAsync(source, folder, file, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Left in place and tried again at the next scan (e.g. the database was unreachable).
                    logger.LogError(ex, "Importing {File} failed; it stays in the drop folder", file);
                    health.RecordIngest(source, "drop-folder", time.GetUtcNow(), 0, 0, null, $"{Path.GetFileName(file)}: {ex.Message}");
                }
            }
        }

        return outcomes;
    }

    private async Task<DropFileOutcome> ImportFileAsync(string source, string folder, string file, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(file);
        ImportResult? result = null;
        IReadOnlyList<IngestError> errors;
        if (NoFollowFile.IsLink(file))
        {
            // Rejected without reading it: the link itself (not its target) is moved aside below.
            errors = [new IngestError(0, null, "a symbolic link; the drop folder reads only files placed in it")];
            health.RecordIngest(source, "drop-folder", time.GetUtcNow(), 0, 0, null, $"{name}: {errors[0].Reason}");
        }
        else if (!IngestKinds.TryParse(KindPart(name), out var kind))
        {
            errors = [new IngestError(0, null, $"the file name must start with the kind ({string.Join(", ", IngestKinds.Names)}), e.g. volumes-2026-11.csv")];
            health.RecordIngest(source, "drop-folder", time.GetUtcNow(), 0, 0, null, $"{name}: {errors[0].Reason}");
        }
        else
        {
            var format = Path.GetExtension(name).Equals(".json", StringComparison.OrdinalIgnoreCase) ? TextFormat.Json : TextFormat.Csv;
            var stream = NoFollowFile.OpenRead(file);
            await using (stream.ConfigureAwait(false))
            {
                result = await imports.ImportAsync(new ImportRequest(kind, source, name) { Format = format, Channel = "drop-folder" }, stream, null, cancellationToken).ConfigureAwait(false);
            }

            errors = result.Errors;
        }

        var committed = result is { Committed: true };
        var target = Path.Combine(folder, committed ? Processed : Rejected);
        if (NoFollowFile.IsLink(target))
        {
            throw new IOException($"{Path.GetFileName(target)} is a symbolic link; files are not moved out of the drop folder");
        }

        Directory.CreateDirectory(target);
        var destination = FreeName(target, name);
        File.Move(file, destination);
        if (!committed)
        {
            await File.WriteAllLinesAsync(destination + ".errors.txt", errors.Select(e => e.ToString()), cancellationToken).ConfigureAwait(false);
            logger.LogWarning("Rejected {File} from {Source}: {Count} error(s)", name, source, errors.Count);
        }

        return new DropFileOutcome(source, name, destination, result);
    }

    private string FreeName(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            return path;
        }

        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);
        return Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(name)}.{stamp}{Path.GetExtension(name)}");
    }

    /// <summary>True once the file's size and write time have stayed the same for <c>SettleTime</c> across scans.</summary>
    private bool HasSettled(string file)
    {
        var settle = options.Value.DropFolder.SettleTime;
        if (settle <= TimeSpan.Zero)
        {
            return true;
        }

        var info = new FileInfo(file);
        var now = time.GetUtcNow();
        var seen = _seen.AddOrUpdate(
            file,
            _ => (info.Length, info.LastWriteTimeUtc, now),
            (_, last) => last.Length == info.Length && last.WrittenUtc == info.LastWriteTimeUtc ? last : (info.Length, info.LastWriteTimeUtc, now));
        return now - seen.UnchangedSince >= settle;
    }

    private static bool IsDataFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".csv" or ".json";

    /// <summary><c>contacts-2026-11-22.csv</c> → <c>contacts</c>; <c>queue-snapshots_x.json</c> → <c>queue-snapshots</c>.</summary>
    private static string KindPart(string name)
    {
        var stem = Path.GetFileNameWithoutExtension(name).ToLowerInvariant();
        if (stem.StartsWith("queue-snapshots", StringComparison.Ordinal))
        {
            return "snapshots";
        }

        var end = stem.IndexOfAny(['-', '_', '.']);
        return end < 0 ? stem : stem[..end];
    }
}
