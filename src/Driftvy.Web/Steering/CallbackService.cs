using Driftvy.Domain.Calendar;
using Driftvy.Domain.Kpis;
using Driftvy.Web.Kpis;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Steering;

/// <summary>A caller worth calling back: abandoned today after the short-abandon threshold and not answered since.</summary>
/// <param name="Queue">Queue of the caller's last abandoned call.</param>
/// <param name="CallerMasked">The number masked (<c>070-*** ** 67</c>); the number itself is never stored.</param>
/// <param name="FirstAbandonedAt">When the caller first gave up today.</param>
/// <param name="LastAbandonedAt">When the caller last gave up today.</param>
/// <param name="LongestWaitSeconds">The longest wait before giving up.</param>
/// <param name="Attempts">How many calls today ended abandoned.</param>
public sealed record CallbackCandidate(string Queue, string CallerMasked, DateTimeOffset FirstAbandonedAt, DateTimeOffset LastAbandonedAt, int LongestWaitSeconds, int Attempts);

/// <summary>
/// The team leader's call-back list, read from the contact facts: callers are matched by the keyed hash of
/// their number (caller_hash), so a caller answered later the same day, in any queue, drops off the list.
/// </summary>
public sealed class CallbackService(IDbContextFactory<DriftvyDbContext> contexts, KpiSetup kpis, TimeProvider time)
{
    private const int DefaultShortAbandonSeconds = 5;

    public async Task<IReadOnlyList<CallbackCandidate>> TodayAsync(string? queue, CancellationToken cancellationToken)
    {
        var today = StockholmTime.LocalDate(time.GetUtcNow());
        var fromMs = StockholmTime.StartOfDayUtc(today).ToUnixTimeMilliseconds();
        var toMs = StockholmTime.StartOfDayUtc(today.AddDays(1)).ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Contacts.AsNoTracking()
            .Where(c => c.OfferedAtMs >= fromMs && c.OfferedAtMs < toMs && c.CallerHash != null)
            .Select(c => new { c.Queue, c.OfferedAtMs, c.AnsweredAtMs, c.AbandonedAtMs, c.CallerHash, c.CallerMasked })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);

        var lastAnswered = rows.Where(r => r.AnsweredAtMs is not null)
            .GroupBy(r => r.CallerHash!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(r => r.OfferedAtMs), StringComparer.Ordinal);

        var candidates = rows
            .Where(r => r.AnsweredAtMs is null && r.AbandonedAtMs is not null && r.CallerMasked is not null)
            .Where(r => queue is null || r.Queue == queue)
            .Select(r => (Row: r, Wait: ContactWaitSeconds(r.OfferedAtMs, r.AbandonedAtMs!.Value)))
            .Where(x => x.Wait > ShortAbandonSeconds(x.Row.Queue, today))
            // Answered on a call offered after this one gave up? Then the caller got through and needs no call-back.
            .Where(x => !lastAnswered.TryGetValue(x.Row.CallerHash!, out var answered) || answered < x.Row.OfferedAtMs)
            .GroupBy(x => x.Row.CallerHash!, StringComparer.Ordinal)
            .Select(g =>
            {
                var last = g.MaxBy(x => x.Row.AbandonedAtMs!.Value);
                return new CallbackCandidate(
                    last.Row.Queue,
                    last.Row.CallerMasked!,
                    DateTimeOffset.FromUnixTimeMilliseconds(g.Min(x => x.Row.AbandonedAtMs!.Value)),
                    DateTimeOffset.FromUnixTimeMilliseconds(last.Row.AbandonedAtMs!.Value),
                    g.Max(x => x.Wait),
                    g.Count());
            })
            .OrderBy(c => c.FirstAbandonedAt)
            .ToList();
        return candidates;
    }

    private static int ContactWaitSeconds(long offeredMs, long abandonedMs) =>
        Driftvy.Domain.Contacts.ContactTally.WaitBucket(TimeSpan.FromMilliseconds(abandonedMs - offeredMs));

    private int ShortAbandonSeconds(string queue, DateOnly day)
    {
        var sl = kpis.Catalog.Kpis.FirstOrDefault(k => k.VersionOn(day) is { Kind: FormulaKind.ServiceLevel } v && v.Population.Queues.Contains(queue));
        return sl?.VersionOn(day)?.ParametersFor(queue).ShortAbandonSeconds ?? DefaultShortAbandonSeconds;
    }
}
