namespace Driftvy.Web.Alerts;

/// <summary>One measurement of a rule's subject at a moment.</summary>
/// <param name="Value">The measured value; null when there is no data (never an alarm by itself).</param>
/// <param name="Breached">For <see cref="AlertCondition.OffTarget"/>: whether the KPI engine judged it off target; otherwise derived from <paramref name="Value"/>.</param>
/// <param name="Active">False outside the subject's active hours: nothing fires, and a firing alert resolves.</param>
/// <param name="At">When the value was true (a queue snapshot's own time); null for "now". A condition's duration counts from here.</param>
public sealed record AlertSample(double? Value, bool? Breached, bool Active, DateTimeOffset? At = null);

public enum AlertEventKind
{
    Fired,
    Refired,
    Reminder,
    Resolved,
    Acknowledged,
}

/// <summary>Something the monitor must tell the screens (always) and the channels (when <see cref="Notify"/>).</summary>
public sealed record AlertEvent(AlertEventKind Kind, AlertIncident Incident, bool Notify);

/// <summary>An alert's life: fired → (acknowledged) → resolved; re-fires soon after an unacknowledged one resolved reopen it.</summary>
public sealed class AlertIncident
{
    public required Guid Id { get; init; }

    public required AlertRule Rule { get; init; }

    public required DateTimeOffset FiredAt { get; init; }

    public double? Value { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? AcknowledgedBy { get; set; }

    public string? AcknowledgeComment { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>How many times the condition came back after resolving within the regroup window.</summary>
    public int Refires { get; set; }

    public DateTimeOffset LastNotifiedAt { get; set; }

    public bool IsOpen => ResolvedAt is null;

    /// <summary>A copy as it stands now, for a notification that is sent later.</summary>
    public AlertIncident Copy() => (AlertIncident)MemberwiseClone();
}

/// <summary>
/// One rule's state as the engine keeps it, to be stored and restored (so every instance continues where another
/// left off). <paramref name="Version"/> is the stored row's version, opaque to the engine.
/// </summary>
public sealed record AlertRuleState(string RuleId, DateTimeOffset? PendingSince, AlertIncident? Incident, long Version);

/// <summary>
/// The alert state machine, free of I/O and clocks (every call carries its instant), so it is tested
/// with a fake clock: pending until the condition has held for the rule's duration, hysteresis between
/// fire and clear thresholds, silence outside active hours, reminders until acknowledged, and re-fires
/// grouped into the incident they follow.
/// </summary>
public sealed class AlertEngine
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RuleState> _states = new(StringComparer.Ordinal);

    public IReadOnlyList<AlertIncident> OpenIncidents()
    {
        lock (_gate)
        {
            return _states.Values.Select(s => s.Incident).Where(i => i is { IsOpen: true }).Cast<AlertIncident>().ToList();
        }
    }

    public AlertIncident? Find(Guid id)
    {
        lock (_gate)
        {
            return _states.Values.Select(s => s.Incident).FirstOrDefault(i => i?.Id == id);
        }
    }

    /// <summary>Feeds one sample of <paramref name="rule"/>; returns what happened.</summary>
    public IReadOnlyList<AlertEvent> Observe(AlertRule rule, AlertSample sample, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(sample);
        lock (_gate)
        {
            if (!_states.TryGetValue(rule.Id, out var state))
            {
                _states[rule.Id] = state = new RuleState();
            }

            var events = new List<AlertEvent>();
            var breached = sample.Active && (sample.Breached ?? (sample.Value is { } v && rule.Breaches(v)));
            var cleared = !sample.Active || (rule.Condition == AlertCondition.OffTarget
                ? sample.Breached != true
                : sample.Value is not { } c || rule.Clears(c));

            if (state.Incident is { IsOpen: true } open)
            {
                open.Value = sample.Value ?? open.Value;
                if (cleared)
                {
                    open.ResolvedAt = now;
                    state.PendingSince = null;
                    events.Add(new AlertEvent(AlertEventKind.Resolved, open, Notify: true));
                }
                else if (rule.RenotifyEvery is { } every && open.AcknowledgedAt is null && now - open.LastNotifiedAt >= every)
                {
                    open.LastNotifiedAt = now;
                    events.Add(new AlertEvent(AlertEventKind.Reminder, open, Notify: true));
                }

                return events;
            }

            if (!breached)
            {
                state.PendingSince = null;
                return events;
            }

            // From when the data showed it, not from when this evaluation came round: `for` means what it says.
            state.PendingSince ??= sample.At is { } at && at < now ? at : now;
            state.For = rule.For;
            if (now - state.PendingSince < rule.For)
            {
                return events;
            }

            // The same trouble coming back soon after it resolved: reopen, count it, and remind only as reminders go.
            // An acknowledgement covered what resolved, not what comes back: after one, the return is a new incident
            // that fires, notifies and waits for its own acknowledgement (the alarm log keeps the first as it ended).
            if (state.Incident is { AcknowledgedAt: null } last && last.ResolvedAt is { } resolvedAt && now - resolvedAt <= rule.RegroupWithin)
            {
                last.ResolvedAt = null;
                last.Refires++;
                last.Value = sample.Value;
                var notify = rule.RenotifyEvery is { } every && now - last.LastNotifiedAt >= every;
                if (notify)
                {
                    last.LastNotifiedAt = now;
                }

                events.Add(new AlertEvent(AlertEventKind.Refired, last, notify));
                return events;
            }

            var incident = new AlertIncident
            {
                Id = Guid.NewGuid(),
                Rule = rule,
                FiredAt = now,
                Value = sample.Value,
                LastNotifiedAt = now,
            };
            state.Incident = incident;
            events.Add(new AlertEvent(AlertEventKind.Fired, incident, Notify: true));
            return events;
        }
    }

    /// <summary>
    /// The earliest moment a pending condition will have held for its rule's duration (null when none is pending): the
    /// monitor evaluates again then, instead of waiting for the next data or timer tick.
    /// </summary>
    public DateTimeOffset? NextDue()
    {
        lock (_gate)
        {
            return _states.Values
                .Where(s => s.PendingSince is not null && s.For > TimeSpan.Zero && s.Incident is not { IsOpen: true })
                .Select(s => (DateTimeOffset?)(s.PendingSince!.Value + s.For))
                .Min();
        }
    }

    /// <summary>The states of <paramref name="ruleIds"/> as they stand (rules the engine has not seen are left out).</summary>
    public IReadOnlyList<AlertRuleState> Export(IEnumerable<string> ruleIds)
    {
        ArgumentNullException.ThrowIfNull(ruleIds);
        lock (_gate)
        {
            return ruleIds.Distinct(StringComparer.Ordinal)
                .Where(_states.ContainsKey)
                .Select(id => new AlertRuleState(id, _states[id].PendingSince, _states[id].Incident, _states[id].Version))
                .ToList();
        }
    }

    /// <summary>
    /// Takes over stored states. An incident the engine already holds (same id) is updated in place, so whoever holds
    /// it sees the change. With <paramref name="replaceAll"/> every rule not among <paramref name="states"/> is forgotten.
    /// </summary>
    public void Restore(IReadOnlyCollection<AlertRuleState> states, bool replaceAll)
    {
        ArgumentNullException.ThrowIfNull(states);
        lock (_gate)
        {
            if (replaceAll)
            {
                var keep = states.Select(s => s.RuleId).ToHashSet(StringComparer.Ordinal);
                foreach (var gone in _states.Keys.Where(k => !keep.Contains(k)).ToList())
                {
                    _states.Remove(gone);
                }
            }

            foreach (var stored in states)
            {
                if (!_states.TryGetValue(stored.RuleId, out var state))
                {
                    _states[stored.RuleId] = state = new RuleState();
                }

                state.PendingSince = stored.PendingSince;
                state.Version = stored.Version;
                if (stored.Incident is { } incoming && state.Incident is { } held && held.Id == incoming.Id)
                {
                    held.Value = incoming.Value;
                    held.AcknowledgedAt = incoming.AcknowledgedAt;
                    held.AcknowledgedBy = incoming.AcknowledgedBy;
                    held.AcknowledgeComment = incoming.AcknowledgeComment;
                    held.ResolvedAt = incoming.ResolvedAt;
                    held.Refires = incoming.Refires;
                    held.LastNotifiedAt = incoming.LastNotifiedAt;
                }
                else
                {
                    state.Incident = stored.Incident;
                }
            }
        }
    }

    /// <summary>Acknowledges an open incident; reminders stop. Returns null when there is no such open incident.</summary>
    public AlertEvent? Acknowledge(Guid incidentId, string by, string? comment, DateTimeOffset now)
    {
        lock (_gate)
        {
            var incident = _states.Values.Select(s => s.Incident).FirstOrDefault(i => i?.Id == incidentId && i.IsOpen);
            if (incident is null)
            {
                return null;
            }

            incident.AcknowledgedAt = now;
            incident.AcknowledgedBy = by;
            incident.AcknowledgeComment = comment;
            return new AlertEvent(AlertEventKind.Acknowledged, incident, Notify: false);
        }
    }

    private sealed class RuleState
    {
        public DateTimeOffset? PendingSince { get; set; }

        /// <summary>The rule's duration as last observed (for <see cref="NextDue"/>).</summary>
        public TimeSpan For { get; set; }

        public AlertIncident? Incident { get; set; }

        public long Version { get; set; }
    }
}
