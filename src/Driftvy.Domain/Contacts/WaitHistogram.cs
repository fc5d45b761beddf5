using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Driftvy.Domain.Contacts;

/// <summary>
/// A sparse whole-second wait histogram (second → count), kept as two parallel arrays in ascending order of seconds.
/// Tallies are merged by the thousand when a report sums years of days; a merge of two histograms is then one linear
/// pass with no allocation per entry, where a tree-based dictionary allocated a node for every second of every day.
/// Enumerates in ascending order of seconds, as the stored forms and checksums expect.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "A histogram is the domain's word; the dictionary view is for readers.")]
public sealed class WaitHistogram : IReadOnlyDictionary<int, long>
{
    private int[] _seconds = [];
    private long[] _counts = [];
    private int _count;

    public int Count => _count;

    public long this[int key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No waits of {key} s.");

    public IEnumerable<int> Keys
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _seconds[i];
            }
        }
    }

    public IEnumerable<long> Values
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _counts[i];
            }
        }
    }

    /// <summary>The sum of all counts.</summary>
    public long Total()
    {
        long total = 0;
        for (var i = 0; i < _count; i++)
        {
            total += _counts[i];
        }

        return total;
    }

    /// <summary>The largest second held (the histogram must not be empty).</summary>
    public int MaxSecond => _count > 0 ? _seconds[_count - 1] : throw new InvalidOperationException("The histogram is empty.");

    /// <summary>The sum of the counts of every second at most <paramref name="seconds"/>.</summary>
    public long CountAtMost(int seconds)
    {
        long n = 0;
        for (var i = 0; i < _count && _seconds[i] <= seconds; i++)
        {
            n += _counts[i];
        }

        return n;
    }

    /// <summary>Adds <paramref name="by"/> to the count of <paramref name="second"/>, creating it when absent.</summary>
    public void Increment(int second, long by)
    {
        // Waits mostly arrive in ascending order (stored forms, merges, projections): append without a search.
        if (_count == 0 || second > _seconds[_count - 1])
        {
            Insert(_count, second, by);
            return;
        }

        var at = Array.BinarySearch(_seconds, 0, _count, second);
        if (at >= 0)
        {
            _counts[at] += by;
        }
        else
        {
            Insert(~at, second, by);
        }
    }

    /// <summary>Adds every count of <paramref name="other"/> to this histogram.</summary>
    public void Add(WaitHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._count == 0)
        {
            return;
        }

        if (_count == 0)
        {
            _seconds = other._seconds[..other._count];
            _counts = other._counts[..other._count];
            _count = other._count;
            return;
        }

        // One pass over both ascending lists. Most merges add days with the same seconds: then nothing moves.
        if (SameSeconds(other))
        {
            for (var i = 0; i < _count; i++)
            {
                _counts[i] += other._counts[i];
            }

            return;
        }

        var seconds = new int[_count + other._count];
        var counts = new long[seconds.Length];
        int a = 0, b = 0, n = 0;
        while (a < _count || b < other._count)
        {
            if (b >= other._count || (a < _count && _seconds[a] < other._seconds[b]))
            {
                seconds[n] = _seconds[a];
                counts[n++] = _counts[a++];
            }
            else if (a >= _count || other._seconds[b] < _seconds[a])
            {
                seconds[n] = other._seconds[b];
                counts[n++] = other._counts[b++];
            }
            else
            {
                seconds[n] = _seconds[a];
                counts[n++] = _counts[a++] + other._counts[b++];
            }
        }

        _seconds = seconds;
        _counts = counts;
        _count = n;
    }

    public bool ContainsKey(int key) => Array.BinarySearch(_seconds, 0, _count, key) >= 0;

    public bool TryGetValue(int key, [MaybeNullWhen(false)] out long value)
    {
        var at = Array.BinarySearch(_seconds, 0, _count, key);
        value = at >= 0 ? _counts[at] : 0;
        return at >= 0;
    }

    public IEnumerator<KeyValuePair<int, long>> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return new KeyValuePair<int, long>(_seconds[i], _counts[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private bool SameSeconds(WaitHistogram other) =>
        _count == other._count && _seconds.AsSpan(0, _count).SequenceEqual(other._seconds.AsSpan(0, other._count));

    private void Insert(int at, int second, long by)
    {
        if (_count == _seconds.Length)
        {
            var size = Math.Max(8, _count * 2);
            Array.Resize(ref _seconds, size);
            Array.Resize(ref _counts, size);
        }

        if (at < _count)
        {
            Array.Copy(_seconds, at, _seconds, at + 1, _count - at);
            Array.Copy(_counts, at, _counts, at + 1, _count - at);
        }

        _seconds[at] = second;
        _counts[at] = by;
        _count++;
    }
}
