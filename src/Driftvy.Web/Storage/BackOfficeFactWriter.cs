using System.Globalization;
using Driftvy.Domain.BackOffice;
using Driftvy.Web.Sources.Telephony;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Storage;

/// <summary>What a write did to the stored facts.</summary>
internal readonly record struct WriteCounts(int Accepted, int Updated, int Duplicates);

/// <summary>
/// Writes cases, volumes, staffing and queue snapshots inside the caller's transaction. Cases are keyed by
/// id, volumes by (date, team, kind), staffing by (month, team): a different value for a stored key
/// replaces it (last write wins) and leaves an audit row of old → new; the same value is a duplicate.
/// Snapshots are keyed by (queue, at) and never change.
/// </summary>
internal static class BackOfficeFactWriter
{
    private const int LookupChunk = 500;

    public static async Task<WriteCounts> WriteCasesAsync(DriftvyDbContext db, IngestBatch batch, IReadOnlyList<CaseRecord> cases, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, CaseFact>(StringComparer.Ordinal);
        foreach (var chunk in cases.Select(c => c.CaseId).Chunk(LookupChunk))
        {
            foreach (var f in await db.Cases.Where(c => chunk.Contains(c.CaseId)).ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                existing[f.CaseId] = f;
            }
        }

        int accepted = 0, updated = 0, duplicates = 0;
        foreach (var c in cases)
        {
            var opened = c.OpenedAt.ToUnixTimeMilliseconds();
            var closed = c.ClosedAt?.ToUnixTimeMilliseconds();
            if (!existing.TryGetValue(c.CaseId, out var f))
            {
                db.Cases.Add(new CaseFact
                {
                    CaseId = c.CaseId, Source = batch.Source, Team = c.Team, Kind = c.Kind, OpenedAtMs = opened, ClosedAtMs = closed,
                    PromisedDays = c.PromisedDays, ReceivedAtMs = batch.ReceivedAtMs,
                });
                accepted++;
                continue;
            }

            if (f.Team == c.Team && f.Kind == c.Kind && f.OpenedAtMs == opened && f.ClosedAtMs == closed && f.PromisedDays == c.PromisedDays)
            {
                duplicates++;
                continue;
            }

            var old = Describe(f);
            f.Team = c.Team;
            f.Kind = c.Kind;
            f.OpenedAtMs = opened;
            f.ClosedAtMs = closed;
            f.PromisedDays = c.PromisedDays;
            f.Source = batch.Source;
            f.ReceivedAtMs = batch.ReceivedAtMs;
            Audit(db, batch, "case", c.CaseId, old, Describe(f));
            updated++;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new WriteCounts(accepted, updated, duplicates);
    }

    public static async Task<WriteCounts> WriteVolumesAsync(DriftvyDbContext db, IngestBatch batch, IReadOnlyList<DailyVolume> volumes, CancellationToken cancellationToken)
    {
        if (volumes.Count == 0)
        {
            return default;
        }

        var from = volumes.Min(v => v.Date);
        var to = volumes.Max(v => v.Date);
        var teams = volumes.Select(v => v.Team).Distinct().ToList();
        var existing = await db.Volumes.Where(v => v.Date >= from && v.Date <= to && teams.Contains(v.Team))
            .ToDictionaryAsync(v => (v.Date, v.Team, v.Kind), cancellationToken).ConfigureAwait(false);
        int accepted = 0, updated = 0, duplicates = 0;
        foreach (var v in volumes)
        {
            if (!existing.TryGetValue((v.Date, v.Team, v.Kind), out var f))
            {
                db.Volumes.Add(new VolumeFact { Date = v.Date, Team = v.Team, Kind = v.Kind, Count = v.Count, Source = batch.Source, UpdatedAtMs = batch.ReceivedAtMs });
                accepted++;
            }
            else if (f.Count == v.Count)
            {
                duplicates++;
            }
            else
            {
                Audit(db, batch, "volume", $"{v.Date:yyyy-MM-dd}/{v.Team}/{v.Kind}", f.Count.ToString(CultureInfo.InvariantCulture), v.Count.ToString(CultureInfo.InvariantCulture));
                f.Count = v.Count;
                f.Source = batch.Source;
                f.UpdatedAtMs = batch.ReceivedAtMs;
                updated++;
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new WriteCounts(accepted, updated, duplicates);
    }

    public static async Task<WriteCounts> WriteStaffingAsync(DriftvyDbContext db, IngestBatch batch, IReadOnlyList<MonthlyStaffing> staffing, CancellationToken cancellationToken)
    {
        if (staffing.Count == 0)
        {
            return default;
        }

        var teams = staffing.Select(s => s.Team).Distinct().ToList();
        var years = staffing.Select(s => s.Year).Distinct().ToList();
        var existing = await db.Staffing.Where(s => years.Contains(s.Year) && teams.Contains(s.Team))
            .ToDictionaryAsync(s => (s.Year, s.Month, s.Team), cancellationToken).ConfigureAwait(false);
        int accepted = 0, updated = 0, duplicates = 0;
        foreach (var s in staffing)
        {
            if (!existing.TryGetValue((s.Year, s.Month, s.Team), out var f))
            {
                db.Staffing.Add(new StaffingFact { Year = s.Year, Month = s.Month, Team = s.Team, Fte = s.Fte, Source = batch.Source, UpdatedAtMs = batch.ReceivedAtMs });
                accepted++;
            }
            else if (f.Fte == s.Fte)
            {
                duplicates++;
            }
            else
            {
                Audit(db, batch, "staffing", $"{s.Year:0000}-{s.Month:00}/{s.Team}", f.Fte.ToString("0.###", CultureInfo.InvariantCulture), s.Fte.ToString("0.###", CultureInfo.InvariantCulture));
                f.Fte = s.Fte;
                f.Source = batch.Source;
                f.UpdatedAtMs = batch.ReceivedAtMs;
                updated++;
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new WriteCounts(accepted, updated, duplicates);
    }

    /// <summary>Stores the snapshots not stored before and returns them (the ones to show).</summary>
    public static async Task<(WriteCounts Counts, List<QueueSnapshot> Added)> WriteSnapshotsAsync(
        DriftvyDbContext db, IngestBatch batch, IReadOnlyList<QueueSnapshot> snapshots, CancellationToken cancellationToken)
    {
        var added = new List<QueueSnapshot>();
        var duplicates = 0;
        foreach (var group in snapshots.GroupBy(s => s.Queue, StringComparer.Ordinal))
        {
            var from = group.Min(s => s.At.ToUnixTimeMilliseconds());
            var to = group.Max(s => s.At.ToUnixTimeMilliseconds());
            var queue = group.Key;
            var stored = (await db.QueueSnapshots.Where(s => s.Queue == queue && s.AtMs >= from && s.AtMs <= to)
                .Select(s => s.AtMs).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet();
            foreach (var s in group)
            {
                var at = s.At.ToUnixTimeMilliseconds();
                if (!stored.Add(at))
                {
                    duplicates++;
                    continue;
                }

                db.QueueSnapshots.Add(new QueueSnapshotFact
                {
                    Queue = s.Queue, AtMs = at, Waiting = s.Waiting, LongestWaitSeconds = s.LongestWaitSeconds, AgentsAvailable = s.AgentsAvailable,
                    AgentsBusy = s.AgentsBusy, AgentsAway = s.AgentsAway, Source = batch.Source, ReceivedAtMs = batch.ReceivedAtMs,
                });
                added.Add(s);
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (new WriteCounts(added.Count, 0, duplicates), added);
    }

    private static void Audit(DriftvyDbContext db, IngestBatch batch, string entity, string key, string oldValue, string newValue) =>
        db.IngestAudit.Add(new IngestAudit
        {
            BatchId = batch.Id, Entity = entity, EntityKey = key, OldValue = oldValue, NewValue = newValue, Source = batch.Source, ChangedAtMs = batch.ReceivedAtMs,
        });

    private static string Describe(CaseFact f) =>
        string.Create(CultureInfo.InvariantCulture, $"team={f.Team}; kind={f.Kind}; opened_at_ms={f.OpenedAtMs}; closed_at_ms={f.ClosedAtMs}; promised_days={f.PromisedDays}");
}
