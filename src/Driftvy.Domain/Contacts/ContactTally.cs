namespace Driftvy.Domain.Contacts;

/// <summary>
/// Sufficient statistics of a set of contacts: counts, sums and sparse wait histograms, so that every
/// contact-centre KPI (service level in each variant and for any whole-second X, answer and abandonment
/// rates, ASA, AHT, wait percentiles, FCR) can be computed from a tally exactly as from the raw
/// contacts. Tallies merge, so a day is the merge of its minutes and a group of queues the merge of its
/// queues; the aggregate stores keep tallies, not contacts.
/// </summary>
/// <remarks>
/// Waits are bucketed by whole seconds rounded <b>up</b> (a 60.4 s wait is in bucket 61). For any integer
/// X that keeps "wait ≤ X" and "wait &gt; X" exact, which is all the KPI parameters need; percentiles
/// are therefore reported at one-second resolution (rounded up), means from the exact sums.
/// </remarks>
public sealed class ContactTally
{
    private readonly WaitHistogram _answeredWaits = new();
    private readonly WaitHistogram _abandonedWaits = new();

    public long Offered { get; private set; }
    public long Answered { get; private set; }
    public long Abandoned { get; private set; }

    /// <summary>Offered contacts neither answered nor abandoned (still waiting, or closed without an outcome).</summary>
    public long Unresolved => Offered - Answered - Abandoned;

    public double AnsweredWaitSecondsSum { get; private set; }
    public long HandledCount { get; private set; }
    public double HandleSecondsSum { get; private set; }
    public long FcrFlagged { get; private set; }
    public long FcrResolved { get; private set; }

    /// <summary>Answered contacts without an FCR flag; left out of both sides of the FCR ratio.</summary>
    public long FcrUnflagged => Answered - FcrFlagged;

    /// <summary>Answered waits: whole seconds (rounded up) → count.</summary>
    public WaitHistogram AnsweredWaits => _answeredWaits;

    /// <summary>Abandoned waits: whole seconds (rounded up) → count.</summary>
    public WaitHistogram AbandonedWaits => _abandonedWaits;

    public bool IsEmpty => Offered == 0;

    /// <summary>Rounds a wait up to whole seconds; negative waits (clock skew) count as 0.</summary>
    public static int WaitBucket(TimeSpan wait) =>
        wait <= TimeSpan.Zero ? 0 : (int)Math.Min(int.MaxValue, Math.Ceiling(wait.TotalSeconds - 1e-9));

    public void Add(ContactRecord contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        Offered++;
        if (contact.AnsweredAt is not null)
        {
            var wait = contact.Wait!.Value;
            Answered++;
            AnsweredWaitSecondsSum += Math.Max(0, wait.TotalSeconds);
            _answeredWaits.Increment(WaitBucket(wait), 1);
            if (contact.HandleTime is { } handle)
            {
                HandledCount++;
                HandleSecondsSum += Math.Max(0, handle.TotalSeconds);
            }

            if (contact.ResolvedFirstContact is { } resolved)
            {
                FcrFlagged++;
                if (resolved)
                {
                    FcrResolved++;
                }
            }
        }
        else if (contact.AbandonedAt is not null)
        {
            Abandoned++;
            _abandonedWaits.Increment(WaitBucket(contact.Wait!.Value), 1);
        }
    }

    public void Merge(ContactTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Offered += other.Offered;
        Answered += other.Answered;
        Abandoned += other.Abandoned;
        AnsweredWaitSecondsSum += other.AnsweredWaitSecondsSum;
        HandledCount += other.HandledCount;
        HandleSecondsSum += other.HandleSecondsSum;
        FcrFlagged += other.FcrFlagged;
        FcrResolved += other.FcrResolved;
        _answeredWaits.Add(other._answeredWaits);
        _abandonedWaits.Add(other._abandonedWaits);
    }

    /// <summary>Rebuilds a tally from stored counters (the aggregate stores' wire form).</summary>
    public static ContactTally FromCounters(
        long offered, long answered, long abandoned,
        double answeredWaitSecondsSum, long handledCount, double handleSecondsSum,
        long fcrFlagged, long fcrResolved,
        IEnumerable<KeyValuePair<int, long>> answeredWaits,
        IEnumerable<KeyValuePair<int, long>> abandonedWaits)
    {
        ArgumentNullException.ThrowIfNull(answeredWaits);
        ArgumentNullException.ThrowIfNull(abandonedWaits);
        var t = new ContactTally
        {
            Offered = offered,
            Answered = answered,
            Abandoned = abandoned,
            AnsweredWaitSecondsSum = answeredWaitSecondsSum,
            HandledCount = handledCount,
            HandleSecondsSum = handleSecondsSum,
            FcrFlagged = fcrFlagged,
            FcrResolved = fcrResolved,
        };
        foreach (var (k, v) in answeredWaits)
        {
            t._answeredWaits.Increment(k, v);
        }

        foreach (var (k, v) in abandonedWaits)
        {
            t._abandonedWaits.Increment(k, v);
        }

        return t;
    }

    /// <summary>
    /// This tally with its waits collapsed onto <paramref name="thresholds"/> (ascending whole seconds): each wait
    /// counts at the smallest threshold it does not exceed, waits above them all at <see cref="int.MaxValue"/>.
    /// Counts, sums, and answered or abandoned within any of the thresholds stay exact, which is all a service
    /// level, answer rate or abandonment rate needs; percentiles are no longer meaningful. Screens read tallies
    /// projected like this so that a quarter hour travels as a handful of counters instead of a histogram.
    /// </summary>
    public ContactTally ProjectOnto(IReadOnlyList<int> thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var t = new ContactTally
        {
            Offered = Offered,
            Answered = Answered,
            Abandoned = Abandoned,
            AnsweredWaitSecondsSum = AnsweredWaitSecondsSum,
            HandledCount = HandledCount,
            HandleSecondsSum = HandleSecondsSum,
            FcrFlagged = FcrFlagged,
            FcrResolved = FcrResolved,
        };
        Collapse(_answeredWaits, t._answeredWaits, thresholds);
        Collapse(_abandonedWaits, t._abandonedWaits, thresholds);
        return t;
    }

    /// <summary>Number of answered contacts whose wait was at most <paramref name="seconds"/>.</summary>
    public long AnsweredWithin(int seconds) => _answeredWaits.CountAtMost(seconds);

    /// <summary>Number of abandoned contacts whose wait was at most <paramref name="seconds"/>.</summary>
    public long AbandonedWithin(int seconds) => _abandonedWaits.CountAtMost(seconds);

    /// <summary>
    /// The p-th percentile (0 &lt; p ≤ 100) of answered waits in whole seconds, by the nearest-rank method
    /// (the smallest bucket whose cumulative count reaches ⌈p/100 · n⌉); null when nothing was answered.
    /// </summary>
    public int? AnsweredWaitPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (Answered <= 0)
        {
            return null;
        }

        var total = _answeredWaits.Total();
        var rank = (long)Math.Ceiling(percentile / 100 * total - 1e-9);
        rank = Math.Max(1, rank);
        long cumulative = 0;
        foreach (var (k, v) in _answeredWaits)
        {
            cumulative += v;
            if (cumulative >= rank)
            {
                return k;
            }
        }

        return _answeredWaits.Count == 0 ? null : _answeredWaits.MaxSecond;
    }

    private static void Collapse(WaitHistogram from, WaitHistogram to, IReadOnlyList<int> thresholds)
    {
        foreach (var (seconds, n) in from)
        {
            var at = int.MaxValue;
            foreach (var threshold in thresholds)
            {
                if (seconds <= threshold)
                {
                    at = threshold;
                    break;
                }
            }

            to.Increment(at, n);
        }
    }
}
