namespace Driftvy.Web.Sources.Ami;

/// <summary>One Asterisk queue's live state as AMI describes it: waiting calls, longest wait, members available, busy, paused.</summary>
internal sealed record AmiQueueFigures(int Waiting, int LongestWaitSeconds, int Available, int Busy, int Paused);

/// <summary>
/// Live queue state kept from AMI messages. A QueueStatus listing (QueueParams, then QueueMember and QueueEntry per queue)
/// replaces a queue's callers and members; QueueSummary gives the counts for a queue whose members were not listed;
/// between polls QueueCallerJoin, QueueCallerLeave, QueueCallerAbandon, AgentConnect, AgentComplete and the member events
/// move the state. Plain and single-threaded: the connection's loop is its only user.
/// </summary>
internal sealed class AmiQueueState
{
    private readonly Dictionary<string, Queue> _queues = new(StringComparer.Ordinal);

    /// <summary>Applies one message at <paramref name="now"/>; true when it was about a queue.</summary>
    public bool Apply(AmiMessage m, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.Event is not { } name || m["Queue"] is not { Length: > 0 } queueName)
        {
            return false;
        }

        var q = Get(queueName);
        switch (name)
        {
            case "QueueParams":
                // A new listing of this queue follows: what it lists replaces what events built up.
                q.Callers.Clear();
                q.Members.Clear();
                q.Summary = null;
                break;
            case "QueueEntry":
                q.Callers[Caller(m)] = now.AddSeconds(-m.Int("Wait"));
                break;
            case "QueueCallerJoin":
                q.Callers.TryAdd(Caller(m), now);
                break;
            case "QueueCallerLeave" or "QueueCallerAbandon":
                q.Callers.Remove(Caller(m));
                break;
            case "QueueMember" or "QueueMemberAdded" or "QueueMemberStatus":
                q.Members[Member(m)] = new MemberState(m.Int("InCall") == 1 || m.Int("Status") is 2 or 3 or 7 or 8, m.Int("Paused") == 1, m.Int("Status") is 5 or 4);
                break;
            case "QueueMemberRemoved":
                q.Members.Remove(Member(m));
                break;
            case "QueueMemberPause":
                if (q.Members.TryGetValue(Member(m), out var paused))
                {
                    q.Members[Member(m)] = paused with { Paused = m.Int("Paused") == 1 };
                }

                break;
            case "AgentConnect":
                q.Callers.Remove(Caller(m));
                SetInCall(q, Member(m), true);
                break;
            case "AgentComplete":
                SetInCall(q, Member(m), false);
                break;
            case "QueueSummary":
                q.Summary = (m.Int("Available"), m.Int("Callers"), m.Int("LongestHoldTime"), now);
                break;
            default:
                return false;
        }

        return true;
    }

    /// <summary>The figures of every queue seen, at <paramref name="now"/>.</summary>
    public IReadOnlyDictionary<string, AmiQueueFigures> Figures(DateTimeOffset now)
    {
        var result = new Dictionary<string, AmiQueueFigures>(StringComparer.Ordinal);
        foreach (var (name, q) in _queues)
        {
            var present = q.Members.Values.Where(v => !v.Unavailable).ToList();
            var busy = present.Count(v => v.InCall);
            var paused = present.Count(v => v.Paused && !v.InCall);
            var available = present.Count(v => !v.Paused && !v.InCall);
            var waiting = q.Callers.Count;
            var longest = waiting == 0 ? 0 : (int)Math.Max(0, (now - q.Callers.Values.Min()).TotalSeconds);
            if (q.Summary is { } s)
            {
                // A summary newer than the listing speaks for what the listing did not give.
                if (q.Members.Count == 0)
                {
                    available = s.Available;
                }

                if (waiting == 0 && s.Callers > 0)
                {
                    waiting = s.Callers;
                    longest = s.LongestHoldTime + (int)Math.Max(0, (now - s.At).TotalSeconds);
                }
            }

            result[name] = new AmiQueueFigures(waiting, longest, available, busy, paused);
        }

        return result;
    }

    private Queue Get(string name)
    {
        if (!_queues.TryGetValue(name, out var q))
        {
            q = new Queue();
            _queues[name] = q;
        }

        return q;
    }

    private static void SetInCall(Queue q, string member, bool inCall) =>
        q.Members[member] = q.Members.TryGetValue(member, out var s) ? s with { InCall = inCall } : new MemberState(inCall, false, false);

    private static string Caller(AmiMessage m) => m["Uniqueid"] ?? m["Channel"] ?? "";

    private static string Member(AmiMessage m) => m["Interface"] ?? m["Location"] ?? m["StateInterface"] ?? m["MemberName"] ?? m["Name"] ?? "";

    private sealed record MemberState(bool InCall, bool Paused, bool Unavailable);

    private sealed class Queue
    {
        public Dictionary<string, DateTimeOffset> Callers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, MemberState> Members { get; } = new(StringComparer.Ordinal);

        public (int Available, int Callers, int LongestHoldTime, DateTimeOffset At)? Summary { get; set; }
    }
}
