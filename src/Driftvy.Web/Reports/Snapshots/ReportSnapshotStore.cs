using System.Text.Json;
using Driftvy.Web.Reports.Export;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Reports.Snapshots;

/// <summary>Frozen tertial reports, one per year and point.</summary>
public interface IReportSnapshotStore
{
    Task<ReportDocument?> FindAsync(int year, TertialPoint point, CancellationToken cancellationToken);

    /// <summary>Stores a frozen report; returns the one already stored when another run froze it first.</summary>
    Task<ReportDocument> FreezeAsync(ReportDocument report, CancellationToken cancellationToken);
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

    public async Task<ReportDocument> FreezeAsync(ReportDocument report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
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
