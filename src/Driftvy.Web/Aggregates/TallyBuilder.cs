using System.Runtime.InteropServices;
using Driftvy.Domain.Contacts;

namespace Driftvy.Web.Aggregates;

/// <summary>
/// Folds contacts into one bucket's delta faster than <see cref="ContactTally.Add"/> (hash histograms, one
/// lookup per increment) and hands over a <see cref="ContactTally"/> at the end. A rebuild folds every stored
/// contact into three buckets, so this is its innermost loop. The arithmetic is <see cref="ContactTally.Add"/>'s,
/// in the same order, so the sums come out bit for bit the same.
/// </summary>
internal sealed class TallyBuilder
{
    private readonly Dictionary<int, long> _answeredWaits = [];
    private readonly Dictionary<int, long> _abandonedWaits = [];
    private long _offered;
    private long _answered;
    private long _abandoned;
    private double _answeredWaitSecondsSum;
    private long _handledCount;
    private double _handleSecondsSum;
    private long _fcrFlagged;
    private long _fcrResolved;

    public void Add(ContactRecord contact, int waitBucket, double waitSeconds)
    {
        _offered++;
        if (contact.AnsweredAt is not null)
        {
            _answered++;
            _answeredWaitSecondsSum += Math.Max(0, waitSeconds);
            CollectionsMarshal.GetValueRefOrAddDefault(_answeredWaits, waitBucket, out _)++;
            if (contact.HandleTime is { } handle)
            {
                _handledCount++;
                _handleSecondsSum += Math.Max(0, handle.TotalSeconds);
            }

            if (contact.ResolvedFirstContact is { } resolved)
            {
                _fcrFlagged++;
                if (resolved)
                {
                    _fcrResolved++;
                }
            }
        }
        else if (contact.AbandonedAt is not null)
        {
            _abandoned++;
            CollectionsMarshal.GetValueRefOrAddDefault(_abandonedWaits, waitBucket, out _)++;
        }
    }

    public ContactTally ToTally() => ContactTally.FromCounters(
        _offered, _answered, _abandoned, _answeredWaitSecondsSum, _handledCount, _handleSecondsSum, _fcrFlagged, _fcrResolved,
        _answeredWaits.OrderBy(w => w.Key), _abandonedWaits.OrderBy(w => w.Key));
}
