using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Web.Reports;
using Driftvy.Web.Steering;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Storage;

/// <summary>
/// The imported back-office facts (cases, daily volumes, monthly staffing) as the steering view and the
/// reports read them: one query per kind over the requested days, straight from the fact tables.
/// </summary>
internal sealed class BackOfficeStore(IDbContextFactory<DriftvyDbContext> contexts) : IBackOfficeFacts, IBackOfficeRecords
{
    public async Task<BackOfficeFactSet> ReadAsync(IReadOnlyCollection<string> teams, DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken)
    {
        var (cases, volumes, staffing, asOf) = await LoadCoreAsync(teams, from, toExclusive, withAsOf: true, cancellationToken).ConfigureAwait(false);
        return new BackOfficeFactSet(cases, volumes, staffing, asOf);
    }

    public async Task<BackOfficeData> LoadAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken)
    {
        var (cases, volumes, staffing, _) = await LoadCoreAsync(null, from, toExclusive, withAsOf: false, cancellationToken).ConfigureAwait(false);
        return new BackOfficeData { Cases = cases, Volumes = volumes, Staffing = staffing };
    }

    private async Task<(List<CaseRecord>, List<DailyVolume>, List<MonthlyStaffing>, DateTimeOffset?)> LoadCoreAsync(
        IReadOnlyCollection<string>? teams, DateOnly from, DateOnly toExclusive, bool withAsOf, CancellationToken cancellationToken)
    {
        var startMs = StockholmTime.StartOfDayUtc(from).ToUnixTimeMilliseconds();
        var endMs = StockholmTime.StartOfDayUtc(toExclusive).ToUnixTimeMilliseconds();
        var firstMonth = from.Year * 12 + from.Month;
        var last = toExclusive.AddDays(-1);
        var lastMonth = last.Year * 12 + last.Month;
        var teamList = teams?.ToList();

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var caseQuery = db.Cases.AsNoTracking().Where(c => c.OpenedAtMs < endMs && (c.ClosedAtMs == null || c.ClosedAtMs >= startMs));
        var volumeQuery = db.Volumes.AsNoTracking().Where(v => v.Date >= from && v.Date < toExclusive);
        var staffingQuery = db.Staffing.AsNoTracking().Where(s => s.Year * 12 + s.Month >= firstMonth && s.Year * 12 + s.Month <= lastMonth);
        if (teamList is not null)
        {
            caseQuery = caseQuery.Where(c => teamList.Contains(c.Team));
            volumeQuery = volumeQuery.Where(v => teamList.Contains(v.Team));
            staffingQuery = staffingQuery.Where(s => teamList.Contains(s.Team));
        }

        // Projected straight to the records a report reads: no entity per row, and the source column stays in the table.
        var cases = await caseQuery
            .Select(c => new { c.CaseId, c.Team, c.Kind, c.OpenedAtMs, c.ClosedAtMs, c.PromisedDays })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var volumes = await volumeQuery.Select(v => new DailyVolume(v.Date, v.Team, v.Kind, v.Count)).ToListAsync(cancellationToken).ConfigureAwait(false);
        var staffing = await staffingQuery.Select(s => new MonthlyStaffing(s.Year, s.Month, s.Team, s.Fte)).ToListAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset? asOf = null;
        if (withAsOf)
        {
            // When the newest of these facts arrived, worked out by the database rather than carried row by row.
            long?[] newest =
            [
                await caseQuery.MaxAsync(c => (long?)c.ReceivedAtMs, cancellationToken).ConfigureAwait(false),
                await volumeQuery.MaxAsync(v => (long?)v.UpdatedAtMs, cancellationToken).ConfigureAwait(false),
                await staffingQuery.MaxAsync(s => (long?)s.UpdatedAtMs, cancellationToken).ConfigureAwait(false),
            ];
            asOf = newest.Max() is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }

        return (
            [.. cases.Select(c => new CaseRecord(c.CaseId, c.Team, c.Kind, DateTimeOffset.FromUnixTimeMilliseconds(c.OpenedAtMs),
                c.ClosedAtMs is { } closed ? DateTimeOffset.FromUnixTimeMilliseconds(closed) : null, c.PromisedDays))],
            volumes,
            staffing,
            asOf);
    }
}
