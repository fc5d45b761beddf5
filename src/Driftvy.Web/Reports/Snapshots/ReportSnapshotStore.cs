using System.Text.Json;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Reports.Snapshots;

/// <summary>Frozen tertial reports, one per year and point.</summary>
public interface IReportSnapshotStore
{
    Task<ReportDocument?> FindAsync(int year, TertialPoint point, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a frozen report with its rendered files (one per format); returns the one already stored when another run
    /// froze it first.
    /// </summary>
    Task<ReportDocument> FreezeAsync(ReportDocument report, IReadOnlyDictionary<ReportFormat, byte[]> files, CancellationToken cancellationToken);

    /// <summary>The bytes of a frozen report in <paramref name="format"/> as stored at fixing time; null when not stored.</summary>
    Task<byte[]?> FindFileAsync(int year, TertialPoint point, ReportFormat format, CancellationToken cancellationToken);
}

/// <summary>The frozen reports in the database (table <c>report_snapshots</c>).</summary>
internal sealed class ReportSnapshotStore(IDbContextFactory<DriftvyDbContext> contexts) : IReportSnapshotStore
{
    private const string TertialKind = "tertial";

    public async Task<ReportDocument?> FindAsync(int year, TertialPoint point, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var name = point.ToString();
        var row = await db.ReportSnapshots.AsNoTracking()
            .Where(s => s.Kind == TertialKind && s.Year == year && s.Period == name)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : JsonReportWriter.Deserialize(row.Document);
    }

    public async Task<byte[]?> FindFileAsync(int year, TertialPoint point, ReportFormat format, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var name = point.ToString();
        var extension = ReportNames.Extension(format);
        return await db.ReportSnapshots.AsNoTracking()
            .Where(s => s.Kind == TertialKind && s.Year == year && s.Period == name)
            .SelectMany(s => s.Files)
            .Where(f => f.Format == extension)
            .Select(f => f.Content)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReportDocument> FreezeAsync(ReportDocument report, IReadOnlyDictionary<ReportFormat, byte[]> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(files);
        if (report.Kind != ReportKind.Tertial || report.Point is not { } point)
        {
            throw new ArgumentException("only tertial reports are frozen", nameof(report));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.ReportSnapshots.Add(new ReportSnapshot
        {
            Kind = TertialKind,
            Year = report.Year,
            Period = point.ToString(),
            FrozenAtMs = report.GeneratedAt.ToUnixTimeMilliseconds(),
            KpiVersions = string.Join(", ", report.Definitions.Select(d => $"{d.KpiId} v{d.Version}")),
            InputChecksums = JsonSerializer.Serialize(report.InputChecksums),
            Document = JsonReportWriter.Serialize(report),
            Files = [.. files.OrderBy(f => f.Key).Select(f => new ReportSnapshotFile
            {
                Format = ReportNames.Extension(f.Key),
                Content = f.Value,
                Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f.Value)),
            })],
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return report;
        }
        catch (DbUpdateException)
        {
            // Two runs froze the same report at once; the unique index keeps the first.
            return await FindAsync(report.Year, point, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("a frozen report could neither be stored nor found");
        }
    }
}
