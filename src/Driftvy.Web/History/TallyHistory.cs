using System.Collections.Concurrent;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Kpis;

namespace Driftvy.Web.History;

/// <summary>
/// Contact tallies over days and the expected intraday curve for the screens and the steering view. Closed days come
/// from the durable tallies (<see cref="IContactHistory"/>: the same figures after any restart or flush, for as far
/// back as data goes); today comes from the hot store, which is what moves. Closed ranges are kept for a while:
/// past days change only when facts are imported late, so screens that push every few seconds do not re-read
/// hundreds of rows each time.
/// </summary>
public sealed class TallyHistory(IAggregateStore aggregates, IContactHistory durable, KpiSetup kpis, TimeProvider time)
{
    /// <summary>How many earlier same weekdays the expected curve averages.</summary>
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
            var merged = missing.ToDictionary(i => i, _ => new ContactTally());
            var closedTo = toExclusive <= today ? toExclusive : today;
            if (from < closedTo)
            {
                var wanted = missing.ToLookup(i => queues[i], StringComparer.Ordinal);
                foreach (var day in await durable.ReadDaysAsync(from, closedTo, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var i in wanted[day.Queue])
                    {
                        merged[i].Merge(day.Tally);
                    }
                }
            }

            if (toExclusive > today && from <= today)
            {
                // Today from the hot store, merged there (one group per queue).
                var todays = await aggregates.ReadMergedAsync([.. missing.Select(i => (IReadOnlyList<BucketKey>)[BucketKey.ForDay(queues[i], today)])], cancellationToken).ConfigureAwait(false);
                for (var m = 0; m < missing.Count; m++)
                {
                    merged[missing[m]].Merge(todays[m]);
                }
            }

            foreach (var i in missing)
            {
                if (toExclusive <= today)
                {
                    _days[(queues[i], from, toExclusive)] = (now, merged[i]);
                }

                result[i] = Copy(merged[i]);
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

        // Only the offered counts matter to the curve; the durable quarter tallies reach back as far as data goes.
        var perDay = new Dictionary<DateOnly, Dictionary<TimeOnly, long>>();
        foreach (var d in days)
        {
            var quarters = perDay[d] = [];
            foreach (var (start, tally) in await durable.ReadQuartersAsync(queue, d, d.AddDays(1), cancellationToken).ConfigureAwait(false))
            {
                var lt = StockholmTime.LocalDateTime(start);
                var local = new TimeOnly(lt.Hour, lt.Minute);
                quarters[local] = quarters.GetValueOrDefault(local) + tally.Offered;
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

    /// <summary>Drops every kept range and curve: closed days changed (history written, a re-derivation).</summary>
    public void Forget()
    {
        _days.Clear();
        _expected.Clear();
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
