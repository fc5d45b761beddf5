using Driftvy.Domain.Periods;

namespace Driftvy.Domain.Contacts;

/// <summary>
/// The tally of one queue (and optionally one channel) over a period, as the aggregate stores return it.
/// Supply either per-channel tallies or channel-less ones for a queue, never both, or contacts count twice.
/// </summary>
public sealed record QueueTally(string Queue, Channel? Channel, ContactTally Tally);

/// <summary>Builds tallies from raw contacts, placing each in the period of its Stockholm offered date.</summary>
public static class ContactTallies
{
    /// <summary>
    /// One tally per (queue, channel) for the contacts offered in <paramref name="period"/>. A call offered
    /// 23:59:50 and answered after midnight belongs to the day it was offered.
    /// </summary>
    public static IReadOnlyList<QueueTally> ForPeriod(IEnumerable<ContactRecord> contacts, Period period)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        ArgumentNullException.ThrowIfNull(period);
        var byKey = new Dictionary<(string Queue, Channel Channel), ContactTally>();
        foreach (var c in contacts)
        {
            if (!period.Contains(c.OfferedAt))
            {
                continue;
            }

            if (!byKey.TryGetValue((c.Queue, c.Channel), out var tally))
            {
                tally = new ContactTally();
                byKey[(c.Queue, c.Channel)] = tally;
            }

            tally.Add(c);
        }

        return [.. byKey.OrderBy(kv => kv.Key.Queue, StringComparer.Ordinal).ThenBy(kv => kv.Key.Channel)
            .Select(kv => new QueueTally(kv.Key.Queue, kv.Key.Channel, kv.Value))];
    }
}
