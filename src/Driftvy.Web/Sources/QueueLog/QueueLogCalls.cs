namespace Driftvy.Web.Sources.QueueLog;

/// <summary>A call that ended in one Asterisk queue, in the queue's own name (mapped to a Driftvy queue by the caller).</summary>
internal sealed record QueueLogCall(
    int Line, string CallId, string AsteriskQueue, DateTimeOffset Offered, DateTimeOffset? Answered, DateTimeOffset? Abandoned, DateTimeOffset? Ended, string? Caller)
{
    /// <summary>The contact id: Asterisk's uniqueid with the queue, as one call may pass through several queues.</summary>
    public string ContactId => $"{CallId}@{AsteriskQueue}";

    /// <summary>The caller's keyed hash and mask, carried over from an earlier piece of the log that held the start.</summary>
    public string? CallerHash { get; init; }

    public string? CallerMask { get; init; }
}

/// <summary>What the lines read so far held, beyond the calls: shown after an import and in a follower's health.</summary>
internal sealed class QueueLogCounts
{
    public long Lines { get; set; }

    public long CallsEnded { get; set; }

    public long AgentEvents { get; set; }

    public long RingNoAnswer { get; set; }

    /// <summary>QUEUESTART and CONFIGRELOAD: Asterisk (re)started or reloaded its queues.</summary>
    public long Restarts { get; set; }

    /// <summary>Events this reader does not use (e.g. DID, INFO, a newer Asterisk's own): counted, never fatal.</summary>
    public Dictionary<string, long> Unknown { get; } = new(StringComparer.Ordinal);

    /// <summary>An ending whose start is not in the log read and that carries no wait to rebuild it from.</summary>
    public long EndingsWithoutStart { get; set; }

    public override string ToString() =>
        $"{Lines:N0} lines: {CallsEnded:N0} calls ended, {RingNoAnswer:N0} unanswered ring rounds, {AgentEvents:N0} agent events, " +
        $"{Restarts:N0} queue (re)starts, {EndingsWithoutStart:N0} endings without a start, " +
        $"{Unknown.Values.Sum():N0} other events{(Unknown.Count > 0 ? " (" + string.Join(", ", Unknown.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => $"{u.Key} {u.Value:N0}")) + ")" : "")}";
}

/// <summary>A call in a queue whose ending has not been read yet (persisted between polls and files).</summary>
internal sealed record PendingCall(string CallId, string Queue, long EnterEpoch, long? AnsweredEpoch, string? Agent)
{
    /// <summary>The caller's number, kept in memory only: it is never written to the follower's state in clear.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Caller { get; init; }

    /// <summary>
    /// The caller's keyed hash and masked number, written with the follower's state when the call is still open at the end
    /// of a read, so the call is stored with them when its ending comes in a later read, even after a restart.
    /// </summary>
    public string? CallerHash { get; init; }

    public string? CallerMask { get; init; }
}

/// <summary>One queue member as the log described it.</summary>
internal sealed record AgentState(string Queue, string Agent, bool Paused, bool Busy);

/// <summary>What a reader must carry from one piece of a log to the next: the calls still open and the members.</summary>
internal sealed record QueueLogCallState(List<PendingCall> Pending, List<AgentState> Agents)
{
    public static QueueLogCallState Empty => new([], []);
}

/// <summary>
/// Turns queue_log events into ended calls and queue-member state. ENTERQUEUE opens a call; CONNECT answers it (the
/// wait is data1, holdtime); COMPLETECALLER, COMPLETEAGENT, BLINDTRANSFER, ATTENDEDTRANSFER and TRANSFER end it;
/// ABANDON, EXITWITHTIMEOUT, EXITEMPTY and EXITWITHKEY end it unanswered (the wait is the waittime parameter). A call
/// whose ending has not come yet stays open in <see cref="State"/>, which the next piece of the log starts from.
/// </summary>
internal sealed class QueueLogCalls
{
    private readonly Dictionary<(string CallId, string Queue), PendingCall> _pending = [];
    private readonly Dictionary<(string Queue, string Agent), AgentState> _agents = [];

    public QueueLogCalls(QueueLogCallState? state = null)
    {
        foreach (var p in state?.Pending ?? [])
        {
            _pending[(p.CallId, p.Queue)] = p;
        }

        foreach (var a in state?.Agents ?? [])
        {
            _agents[(a.Queue, a.Agent)] = a;
        }
    }

    public QueueLogCounts Counts { get; } = new();

    public QueueLogCallState State => new(
        [.. _pending.Values.OrderBy(p => p.EnterEpoch).ThenBy(p => p.CallId, StringComparer.Ordinal)],
        [.. _agents.Values.OrderBy(a => a.Queue, StringComparer.Ordinal).ThenBy(a => a.Agent, StringComparer.Ordinal)]);

    /// <summary>Calls still open (entered, not ended).</summary>
    public int OpenCalls => _pending.Count;

    /// <summary>Reads one event; a call it ended is added to <paramref name="ended"/>.</summary>
    public void Feed(QueueLogLine e, int line, List<QueueLogCall> ended)
    {
        Counts.Lines++;
        switch (e.Event)
        {
            case "ENTERQUEUE":
                // data1 = url (usually empty), data2 = caller id, data3 = position (newer layout).
                _pending.TryAdd((e.CallId, e.Queue), new PendingCall(e.CallId, e.Queue, e.Epoch, null, null) { Caller = e.Text(1) });
                break;
            case "CONNECT":
                Connect(e);
                break;
            case "COMPLETECALLER" or "COMPLETEAGENT":
                // holdtime|calltime|origposition
                End(e, line, holdIndex: 0, callIndex: 1, ended);
                break;
            case "BLINDTRANSFER" or "ATTENDEDTRANSFER" or "TRANSFER":
                // extension|context|holdtime|calltime|origposition (attended: method|data|holdtime|calltime|origposition)
                End(e, line, holdIndex: 2, callIndex: 3, ended);
                break;
            case "ABANDON" or "EXITEMPTY" or "EXITWITHTIMEOUT":
                // position|origposition|waittime (older EXITWITHTIMEOUT: position only)
                Unanswered(e, line, e.Seconds(2), ended);
                break;
            case "EXITWITHKEY":
                // key|position|origposition|waittime
                Unanswered(e, line, e.Seconds(3), ended);
                break;
            case "RINGNOANSWER":
                Counts.RingNoAnswer++;
                break;
            case "AGENTLOGIN" or "ADDMEMBER":
                Counts.AgentEvents++;
                Member(e, add: true);
                break;
            case "AGENTLOGOFF" or "REMOVEMEMBER":
                Counts.AgentEvents++;
                Member(e, add: false);
                break;
            case "PAUSE" or "PAUSEALL" or "UNPAUSE" or "UNPAUSEALL":
                Counts.AgentEvents++;
                Pause(e, e.Event.StartsWith("PAUSE", StringComparison.Ordinal));
                break;
            case "QUEUESTART" or "CONFIGRELOAD":
                Counts.Restarts++;
                break;
            default:
                Counts.Unknown[e.Event] = Counts.Unknown.GetValueOrDefault(e.Event) + 1;
                break;
        }
    }

    /// <summary>The live state of one Asterisk queue at <paramref name="at"/>: waiting calls, the longest wait and the members.</summary>
    public (int Waiting, int LongestWaitSeconds, int Available, int Busy, int Paused) Snapshot(string queue, DateTimeOffset at)
    {
        var waiting = _pending.Values.Where(p => p.Queue == queue && p.AnsweredEpoch is null).ToList();
        var longest = waiting.Count == 0 ? 0 : (int)Math.Max(0, at.ToUnixTimeSeconds() - waiting.Min(p => p.EnterEpoch));
        var members = _agents.Values.Where(a => a.Queue == queue).ToList();
        return (waiting.Count, longest, members.Count(a => !a.Paused && !a.Busy), members.Count(a => a.Busy), members.Count(a => a.Paused && !a.Busy));
    }

    /// <summary>Asterisk queues the state knows (calls or members).</summary>
    public IEnumerable<string> Queues => _pending.Keys.Select(k => k.Queue).Concat(_agents.Keys.Select(k => k.Queue)).Distinct(StringComparer.Ordinal);

    private void Connect(QueueLogLine e)
    {
        // holdtime|bridged channel uniqueid|ringtime
        var hold = e.Seconds(0);
        var key = (e.CallId, e.Queue);
        var enter = _pending.TryGetValue(key, out var open) ? open.EnterEpoch : e.Epoch - (hold ?? 0);
        var answered = hold is { } h && open is not null ? open.EnterEpoch + h : e.Epoch;
        _pending[key] = new PendingCall(e.CallId, e.Queue, enter, Math.Max(enter, answered), e.Agent)
        {
            Caller = open?.Caller,
            CallerHash = open?.CallerHash,
            CallerMask = open?.CallerMask,
        };
        SetBusy(e.Agent, true);
    }

    private void End(QueueLogLine e, int line, int holdIndex, int callIndex, List<QueueLogCall> ended)
    {
        var key = (e.CallId, e.Queue);
        var hold = e.Seconds(holdIndex);
        var talk = e.Seconds(callIndex);
        long offered;
        long answered;
        if (_pending.Remove(key, out var open))
        {
            offered = open.EnterEpoch;
            answered = open.AnsweredEpoch ?? (hold is { } h ? offered + h : e.Epoch - (talk ?? 0));
        }
        else if (hold is { } h2 && talk is { } t)
        {
            // The start is before the piece of log read: rebuilt from the waits the ending carries.
            answered = e.Epoch - t;
            offered = answered - h2;
        }
        else
        {
            Counts.EndingsWithoutStart++;
            return;
        }

        SetBusy(open?.Agent ?? e.Agent, false);
        Counts.CallsEnded++;
        ended.Add(new QueueLogCall(line, e.CallId, e.Queue, At(offered), At(Math.Max(offered, answered)), null, At(Math.Max(answered, e.Epoch)), open?.Caller)
        {
            CallerHash = open?.CallerHash,
            CallerMask = open?.CallerMask,
        });
    }

    private void Unanswered(QueueLogLine e, int line, int? wait, List<QueueLogCall> ended)
    {
        var key = (e.CallId, e.Queue);
        long offered;
        long gaveUp;
        if (_pending.Remove(key, out var open))
        {
            offered = open.EnterEpoch;
            gaveUp = wait is { } w ? offered + w : e.Epoch;
        }
        else if (wait is { } w2)
        {
            offered = e.Epoch - w2;
            gaveUp = e.Epoch;
        }
        else
        {
            Counts.EndingsWithoutStart++;
            return;
        }

        Counts.CallsEnded++;
        ended.Add(new QueueLogCall(line, e.CallId, e.Queue, At(offered), null, At(Math.Max(offered, gaveUp)), null, open?.Caller)
        {
            CallerHash = open?.CallerHash,
            CallerMask = open?.CallerMask,
        });
    }

    private void Member(QueueLogLine e, bool add)
    {
        if (IsNone(e.Queue))
        {
            // chan_agent logins name no queue: the agent's memberships stay as ADDMEMBER/REMOVEMEMBER left them.
            if (!add)
            {
                foreach (var k in _agents.Keys.Where(k => k.Agent == e.Agent).ToList())
                {
                    _agents.Remove(k);
                }
            }

            return;
        }

        if (add)
        {
            _agents.TryAdd((e.Queue, e.Agent), new AgentState(e.Queue, e.Agent, false, false));
        }
        else
        {
            _agents.Remove((e.Queue, e.Agent));
        }
    }

    private void Pause(QueueLogLine e, bool paused)
    {
        // PAUSEALL / a pause naming no queue applies to every queue the member is in.
        var all = IsNone(e.Queue) || e.Event.EndsWith("ALL", StringComparison.Ordinal);
        foreach (var (k, a) in _agents.Where(a => a.Key.Agent == e.Agent && (all || a.Key.Queue == e.Queue)).ToList())
        {
            _agents[k] = a with { Paused = paused };
        }
    }

    private void SetBusy(string agent, bool busy)
    {
        // A member on a call is busy for every queue it serves.
        foreach (var (k, a) in _agents.Where(a => a.Key.Agent == agent).ToList())
        {
            _agents[k] = a with { Busy = busy };
        }
    }

    private static bool IsNone(string queue) => queue.Length == 0 || queue.Equals("NONE", StringComparison.OrdinalIgnoreCase);

    private static DateTimeOffset At(long epoch) => DateTimeOffset.FromUnixTimeSeconds(epoch);
}
