using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Organisation;

namespace Driftvy.Web.Aggregates;

/// <summary>The windows screens show, each read as one merged tally per queue or team.</summary>
public enum RollingWindow
{
    /// <summary>The 15 most recent minute buckets, the current (partial) minute included.</summary>
    Last15Minutes,

    /// <summary>The 60 most recent minute buckets, the current (partial) minute included.</summary>
    Last60Minutes,

    /// <summary>Today so far (Europe/Stockholm): one day bucket.</summary>
    Today,

    /// <summary>From the first of this month (Europe/Stockholm) to today inclusive: one day bucket per day.</summary>
    MonthToDate,
}

/// <summary>
/// Which buckets make up a rolling window, for a queue or a team (the queues whose <c>team</c> in
/// <c>seed/queues.json</c> is that team). A window's tally is the merge of its buckets, which the
/// stores do in one step (<see cref="IAggregateStore.ReadMergedAsync"/>; in Redis a server-side script,
/// so a month to date for a team is one round trip, not a hundred reads).
/// </summary>
public static class AggregateWindows
{
    /// <summary>The buckets of <paramref name="window"/> ending at <paramref name="now"/> for every queue given.</summary>
    public static IReadOnlyList<BucketKey> Keys(RollingWindow window, IEnumerable<string> queues, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var keys = new List<BucketKey>();
        foreach (var queue in queues)
        {
            switch (window)
            {
                case RollingWindow.Last15Minutes:
                case RollingWindow.Last60Minutes:
                    var minutes = window == RollingWindow.Last15Minutes ? 15 : 60;
                    var current = BucketKey.For(queue, Granularity.Minute, now).Start;
                    for (var i = minutes - 1; i >= 0; i--)
                    {
                        keys.Add(new BucketKey(queue, Granularity.Minute, current.AddMinutes(-i)));
                    }

                    break;
                case RollingWindow.Today:
                    keys.Add(BucketKey.ForDay(queue, StockholmTime.LocalDate(now)));
                    break;
                case RollingWindow.MonthToDate:
                    var today = StockholmTime.LocalDate(now);
                    for (var d = new DateOnly(today.Year, today.Month, 1); d <= today; d = d.AddDays(1))
                    {
                        keys.Add(BucketKey.ForDay(queue, d));
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(window), window, null);
            }
        }

        return keys;
    }

    /// <summary>The queues of a team, as declared in the organisation catalogue.</summary>
    public static IReadOnlyList<string> QueuesOfTeam(OrganisationCatalog organisation, string team)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        return organisation.Queues.Where(q => string.Equals(q.Team, team, StringComparison.Ordinal)).Select(q => q.Id).ToList();
    }

    /// <summary>Each window's merged tally for the given queues (one queue, or a team's queues), in one read.</summary>
    public static async Task<IReadOnlyDictionary<RollingWindow, ContactTally>> ReadAsync(
        this IAggregateStore store, IReadOnlyList<string> queues, IReadOnlyList<RollingWindow> windows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(windows);
        var groups = windows.Select(w => Keys(w, queues, now)).ToList();
        var tallies = await store.ReadMergedAsync(groups, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<RollingWindow, ContactTally>(windows.Count);
        for (var i = 0; i < windows.Count; i++)
        {
            result[windows[i]] = tallies[i];
        }

        return result;
    }
}
