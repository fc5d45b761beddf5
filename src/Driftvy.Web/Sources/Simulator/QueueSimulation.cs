using Driftvy.Domain.Contacts;
using Driftvy.Domain.Calendar;
using Driftvy.Web.Sources.Telephony;

namespace Driftvy.Web.Sources.Simulator;

/// <summary>
/// One queue of the simulated contact centre for one local day: Poisson arrivals following an
/// intraday profile, a roster that follows demand, agents with log-normal handle times, and callers
/// who hang up after an exponential patience time. Stepped in fixed ticks from local midnight, from a
/// seed made of the date and queue, so replaying a day after a restart yields the same contacts (and
/// the same ids, which the fact store deduplicates).
/// </summary>
internal sealed class QueueSimulation
{
    // Relative call volume per local hour on a weekday (index = hour). The morning peak 09–10 is the
    // contact centre's well-known pattern; the 13:00 bump follows lunch.
    private static readonly double[] HourlyShape =
    [
        0, 0, 0, 0, 0, 0, 0.05, 0.30, 0.80, 1.00, 0.92, 0.80, 0.65, 0.75, 0.70, 0.60, 0.45, 0.30, 0.10, 0, 0, 0, 0, 0,
    ];

    // Monday is the heaviest day, Friday the lightest; weekends are used only in demo mode.
    private static readonly double[] WeekdayFactor = [0.5, 1.15, 1.05, 1.0, 0.95, 0.85, 0.5];

    // Demo mode keeps the night and weekend busy enough that a screen opened at any hour moves.
    private const double DemoNightFloor = 0.55;

    // Relative call volume per month (index = month - 1): the summer low in July, the August peak when schools and
    // preschools start (the plans' recurring trouble), an autumn that stays high, a December that tails off.
    private static readonly double[] MonthFactor = [1.0, 0.95, 0.95, 0.9, 0.9, 0.8, 0.55, 1.3, 1.1, 1.0, 1.0, 0.85];

    private static readonly WorkingCalendar Calendar = new();

    private readonly SimulatedQueue _queue;
    private readonly SimulatorMode _mode;
    private readonly Random _rng;
    private readonly DateOnly _day;
    private readonly DateTimeOffset _dayEnd;
    private readonly List<Caller> _waiting = [];
    private readonly DateTimeOffset[] _agentFreeAt;
    private readonly double _dayFactor;
    private readonly bool _open;
    private readonly int _agents;
    private readonly TimeSpan _meanPatience;
    private DateTimeOffset _clock;
    private int _sequence;

    public QueueSimulation(SimulatedQueue queue, SimulatorMode mode, int seed, DateOnly day)
    {
        _queue = queue;
        _mode = mode;
        _day = day;
        _clock = StockholmTime.StartOfDayUtc(day);
        _dayEnd = StockholmTime.StartOfDayUtc(day.AddDays(1));
        _rng = new Random(StableSeed(seed, day, queue.Id));
        _dayFactor = DayFactor(day);
        // In opening-hours mode the queues are closed on weekends and Swedish public holidays.
        _open = mode == SimulatorMode.Demo || Calendar.IsWorkingDay(day);
        // Some days a queue is badly understaffed (sickness, a system down) and callers give up sooner: Äldre direkt's
        // dropped-call days in the plans. Chosen from the seed, so the same days each time.
        var troubled = (uint)StableSeed(seed, day, queue.Id + "|trouble") % 100 < (queue.Id == "aldre-direkt" ? 6u : 2u);
        _agents = troubled ? Math.Max(1, queue.Agents / 2) : queue.Agents;
        _meanPatience = troubled ? queue.MeanPatience * 0.6 : queue.MeanPatience;
        _agentFreeAt = Enumerable.Repeat(_clock, _agents).ToArray();
    }

    /// <summary>The day's demand against an ordinary weekday of the year: the season, and the Christmas and New Year weeks.</summary>
    internal static double DayFactor(DateOnly day)
    {
        var holidaySeason = (day.Month == 12 && day.Day >= 21) || (day.Month == 1 && day.Day <= 6);
        return MonthFactor[day.Month - 1] * (holidaySeason ? 0.6 : 1.0);
    }

    public DateOnly Day => _day;

    public DateTimeOffset DayEnd => _dayEnd;

    /// <summary>Steps the simulation up to <paramref name="until"/> (capped at the day's end).</summary>
    public void AdvanceTo(DateTimeOffset until, TimeSpan tick, List<ContactRecord> output)
    {
        if (until > _dayEnd)
        {
            until = _dayEnd;
        }

        while (_clock + tick <= until)
        {
            if (_waiting.Count == 0 && ClosedUntil(_clock) is { } opens)
            {
                // Nothing happens while the queue is closed and nobody waits: jump to the opening (whole ticks).
                var skip = Math.Max(1, (long)Math.Floor((Min(opens, until) - _clock) / tick));
                _clock += tick * skip;
                continue;
            }

            Step(_clock, tick, output);
            _clock += tick;
        }

        if (_clock >= _dayEnd)
        {
            // Callers still waiting at midnight give up then; they belong to the day they were offered.
            foreach (var caller in _waiting)
            {
                output.Add(Abandon(caller, _dayEnd));
            }

            _waiting.Clear();
        }
    }

    public QueueSnapshot Snapshot(DateTimeOffset at)
    {
        var local = StockholmTime.LocalDateTime(at);
        var (onDuty, away) = Roster(local.Hour + (local.Minute / 60.0));
        var busy = _agentFreeAt.Count(t => t > at);
        var available = Math.Max(0, onDuty - away - busy);
        var longest = _waiting.Count == 0 ? 0 : (int)Math.Ceiling((at - _waiting[0].OfferedAt).TotalSeconds);
        return new QueueSnapshot(at, _queue.Id, _waiting.Count, Math.Max(0, longest), available, busy, away);
    }

    private void Step(DateTimeOffset t0, TimeSpan tick, List<ContactRecord> output)
    {
        var local = StockholmTime.LocalDateTime(t0);
        var hour = local.Hour + (local.Minute / 60.0) + (local.Second / 3600.0);
        var ratePerSecond = ArrivalsPerHour(hour, (int)local.DayOfWeek % 7, local.TimeOfDay.ToTimeOnly()) / 3600.0;
        var arrivals = Poisson(ratePerSecond * tick.TotalSeconds);
        for (var i = 0; i < arrivals; i++)
        {
            var offered = t0 + (tick * _rng.NextDouble());
            var patience = TimeSpan.FromSeconds(-Math.Log(1 - _rng.NextDouble()) * _meanPatience.TotalSeconds);
            _waiting.Add(new Caller(NextId(), offered, offered + patience, NextCallerNumber()));
        }

        if (_waiting.Count > 1)
        {
            _waiting.Sort(static (a, b) => a.OfferedAt.CompareTo(b.OfferedAt));
        }

        var t1 = t0 + tick;
        var (onDuty, away) = Roster(hour);
        var working = Math.Max(0, onDuty - away);

        // Free agents take the longest-waiting callers first; a caller is answered only if the agent
        // reaches them before they would have hung up.
        for (var agent = 0; agent < working && _waiting.Count > 0; agent++)
        {
            if (_agentFreeAt[agent] > t1)
            {
                continue;
            }

            var caller = _waiting[0];
            var pickUp = Max(caller.OfferedAt, _agentFreeAt[agent]);
            if (_agentFreeAt[agent] <= caller.OfferedAt)
            {
                // An idle agent still needs a few seconds to pick up (ringing, wrap-up of the screen).
                pickUp = caller.OfferedAt + TimeSpan.FromSeconds(2 + (_rng.NextDouble() * 6));
            }

            if (pickUp >= caller.GivesUpAt || pickUp > t1 + tick)
            {
                continue;
            }

            _waiting.RemoveAt(0);
            var handle = LogNormal(_queue.MeanHandleTime.TotalSeconds, 0.5);
            var ended = pickUp + TimeSpan.FromSeconds(handle);
            _agentFreeAt[agent] = ended;
            bool? resolved = _rng.NextDouble() < 0.05 ? null : _rng.NextDouble() < 0.84;
            output.Add(new ContactRecord(caller.Id, Channel.Phone, _queue.Id, caller.OfferedAt, pickUp, null, ended, resolved) { CallerNumber = caller.Number });
        }

        for (var i = _waiting.Count - 1; i >= 0; i--)
        {
            if (_waiting[i].GivesUpAt <= t1)
            {
                output.Add(Abandon(_waiting[i], _waiting[i].GivesUpAt));
                _waiting.RemoveAt(i);
            }
        }
    }

    private double ArrivalsPerHour(double hour, int dayOfWeek, TimeOnly time)
    {
        var shape = Interpolate(hour);
        if (_mode == SimulatorMode.OpeningHours)
        {
            return _open && time >= _queue.OpensAt && time < _queue.ClosesAt
                ? _queue.PeakCallsPerHour * shape * WeekdayFactor[dayOfWeek] * _dayFactor
                : 0;
        }

        return _queue.PeakCallsPerHour * Math.Max(shape, DemoNightFloor) * Math.Max(WeekdayFactor[dayOfWeek], 1.0) * _dayFactor;
    }

    /// <summary>In opening-hours mode, when the queue is closed at <paramref name="t"/>: the instant it next opens today (or the day's end).</summary>
    private DateTimeOffset? ClosedUntil(DateTimeOffset t)
    {
        if (_mode != SimulatorMode.OpeningHours)
        {
            return null;
        }

        if (!_open)
        {
            return _dayEnd;
        }

        var time = StockholmTime.LocalDateTime(t).TimeOfDay.ToTimeOnly();
        if (time >= _queue.OpensAt && time < _queue.ClosesAt)
        {
            return null;
        }

        return time < _queue.OpensAt ? StockholmTime.ToUtc(_day, _queue.OpensAt) : _dayEnd;
    }

    private (int OnDuty, int Away) Roster(double hour)
    {
        // Staffing follows the demand curve a little flatter than demand itself, so the peak queues up.
        var shape = _mode == SimulatorMode.Demo ? Math.Max(Interpolate(hour), DemoNightFloor) : Interpolate(hour);
        var onDuty = (int)Math.Ceiling(_agents * Math.Clamp(shape + 0.1, 0.15, 1.0));
        var awayShare = hour is >= 11 and < 13 ? 0.22 : 0.12;
        var away = (int)Math.Round(onDuty * awayShare);
        return (onDuty, away);
    }

    private static double Interpolate(double hour)
    {
        // Linear between hour midpoints keeps the curve smooth across hour boundaries.
        var x = hour - 0.5;
        var lo = (int)Math.Floor(x);
        var frac = x - lo;
        var a = HourlyShape[((lo % 24) + 24) % 24];
        var b = HourlyShape[(((lo + 1) % 24) + 24) % 24];
        return a + ((b - a) * frac);
    }

    private int Poisson(double lambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }

        // Knuth's method: exact and cheap for the small per-tick rates used here.
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = _rng.NextDouble();
        while (p > limit && k < 1000)
        {
            k++;
            p *= _rng.NextDouble();
        }

        return k;
    }

    private double LogNormal(double mean, double sigma)
    {
        var mu = Math.Log(mean) - (sigma * sigma / 2);
        var u1 = 1 - _rng.NextDouble();
        var u2 = _rng.NextDouble();
        var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Exp(mu + (sigma * z));
    }

    private ContactRecord Abandon(Caller caller, DateTimeOffset at) =>
        new(caller.Id, Channel.Phone, _queue.Id, caller.OfferedAt, null, at, null, null) { CallerNumber = caller.Number };

    private string NextId() => $"sim-{_queue.Id}-{_day:yyyyMMdd}-{++_sequence:D6}";

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static int StableSeed(int seed, DateOnly day, string queue)
    {
        // FNV-1a: string.GetHashCode is randomised per process, which would break replay.
        unchecked
        {
            var h = 2166136261u;
            foreach (var c in $"{seed}|{day:yyyy-MM-dd}|{queue}")
            {
                h = (h ^ c) * 16777619u;
            }

            return (int)h;
        }
    }

    private string NextCallerNumber()
    {
        // A small pool of numbers per day, so some callers ring again after hanging up (as real ones do).
        var n = _rng.Next(0, 3000);
        return $"+46 70 1{n:D4} {n * 37 % 100:D2}";
    }

    private sealed record Caller(string Id, DateTimeOffset OfferedAt, DateTimeOffset GivesUpAt, string Number);
}
