using System.Collections.Concurrent;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Kpis;

namespace Driftvy.Web.Dashboard;

/// <summary>
/// Contact tallies over closed days (sums of day buckets) and the expected intraday curve, kept for a while:
/// past days change only when facts are imported late, so screens that push every few seconds do not re-read
/// hundreds of buckets each time.
/// </summary>
public sealed class TallyHistory(IAggregateStore aggregates, KpiSetup kpis, TimeProvider time)
{
    /// <summary>How many earlier same weekdays the expected curve averages (quarter buckets are kept 70 days).</summary>
    public const int ExpectedWeeks = 8;

    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<(string Queue, DateOnly From, DateOnly To), (DateTimeOffset At, ContactTally Tally)> _days = new();
    private readonly ConcurrentDictionary<(string Queue, DateOnly Day), (DateTimeOffset At, ExpectedCurve Curve)> _expected = new();

    /// <summary>The merged day buckets of [<paramref name="from"/>, <paramref name="toExclusive"/>) for each queue, in order (fresh copies).</summary>
    public async Task<IReadOnlyList<ContactTally>> DaysAsync(IReadOnlyList<string> queues, DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = StockholmTime.LocalDate(now);
        var result = new ContactTally[queues.Count];
        var missing = new List<int>();
        for (var i = 0; i < queues.Count; i++)
        {
            // Ranges that reach today are never cached: today still moves.
            if (toExclusive <= today && _days.TryGetValue((queues[i], from, toExclusive), out var hit) && now - hit.At < KeepFor)
            {
                result[i] = Copy(hit.Tally);
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0 && from < toExclusive)
        {
            // Merged in the store (one group per queue): only a queue's sum travels, not each day's histograms.
            var groups = missing.Select(i => (IReadOnlyList<BucketKey>)[.. Enumerable.Range(0, toExclusive.DayNumber - from.DayNumber).Select(d => BucketKey.ForDay(queues[i], from.AddDays(d)))]).ToList();
            var tallies = await aggregates.ReadMergedAsync(groups, cancellationToken).ConfigureAwait(false);
            for (var m = 0; m < missing.Count; m++)
            {
                var merged = tallies[m];
                var i = missing[m];
                if (toExclusive <= today)
                {
                    _days[(queues[i], from, toExclusive)] = (now, merged);
                }

                result[i] = Copy(merged);
            }
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] ??= new ContactTally();
        }

        Trim(now);
        return result;
    }

    /// <summary>
    /// The expected calls per quarter hour on <paramref name="day"/>: the average of the same weekday over the
    /// last <see cref="ExpectedWeeks"/> weeks, leaving out holidays and days without any call (no data yet).
    /// </summary>
    public async Task<ExpectedCurve> ExpectedAsync(string queue, DateOnly day, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_expected.TryGetValue((queue, day), out var hit) && now - hit.At < KeepFor)
        {
            return hit.Curve;
        }

        var days = new List<DateOnly>();
        for (var w = 1; w <= ExpectedWeeks; w++)
        {
            var d = day.AddDays(-7 * w);
            if (kpis.Calendar.Holiday(d) is null)
            {
                days.Add(d);
            }
        }

        // Only the offered counts: the curve needs nothing else, and eight weeks of histograms would be megabytes.
        var read = await aggregates.ReadQueriesAsync([], [.. days.Select(d => new QuarterQuery(queue, d) { CountsOnly = true })], cancellationToken).ConfigureAwait(false);
        var perDay = new Dictionary<DateOnly, Dictionary<TimeOnly, long>>();
        for (var i = 0; i < days.Count; i++)
        {
            var quarters = perDay[days[i]] = [];
            foreach (var (start, offered) in read.Charts[i]?.Offered ?? new Dictionary<DateTimeOffset, long>())
            {
                var lt = StockholmTime.LocalDateTime(start);
                var local = new TimeOnly(lt.Hour, lt.Minute);
                quarters[local] = quarters.GetValueOrDefault(local) + offered;
            }
        }

        var used = perDay.Where(p => p.Value.Values.Sum() > 0).ToList();
        var sums = new Dictionary<TimeOnly, double>();
        foreach (var (_, quarters) in used)
        {
            foreach (var (t, n) in quarters)
            {
                sums[t] = sums.GetValueOrDefault(t) + n;
            }
        }

        var curve = new ExpectedCurve(used.Count, sums.ToDictionary(s => s.Key, s => s.Value / used.Count));
        _expected[(queue, day)] = (now, curve);
        return curve;
    }

    private void Trim(DateTimeOffset now)
    {
        if (_days.Count < 512 && _expected.Count < 256)
        {
            return;
        }

        foreach (var (k, v) in _days)
        {
            if (now - v.At >= KeepFor)
            {
                _days.TryRemove(k, out _);
            }
        }

        foreach (var (k, v) in _expected)
        {
            if (now - v.At >= KeepFor)
            {
                _expected.TryRemove(k, out _);
            }
        }
    }

    private static ContactTally Copy(ContactTally t)
    {
        var copy = new ContactTally();
        copy.Merge(t);
        return copy;
    }
}

/// <summary>Expected calls per local quarter hour (start time → calls), averaged over <see cref="DaysUsed"/> earlier days.</summary>
public sealed record ExpectedCurve(int DaysUsed, IReadOnlyDictionary<TimeOnly, double> PerQuarter);
