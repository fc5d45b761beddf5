using Driftvy.Domain.Contacts;
using Driftvy.Domain.Calendar;
using Driftvy.Web.Sources.Telephony;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Sources.Simulator;

/// <summary>
/// The built-in telephony source: a simulated Stockholm contact centre. The first poll replays the
/// current day from local midnight, so a freshly started wall screen shows a whole morning at once.
/// </summary>
internal sealed class ContactCentreSimulator(IOptions<SimulatorOptions> options, TimeProvider time) : ITelephonySource
{
    private readonly SimulatorOptions _options = options.Value;
    private readonly Lock _gate = new();
    private List<QueueSimulation> _queues = [];

    public string Id => "simulator";

    public IReadOnlyList<SimulatedQueue> Queues => _options.Queues;

    public Task<TelephonyPoll> PollAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var contacts = new List<ContactRecord>();
        lock (_gate)
        {
            var today = StockholmTime.LocalDate(now);
            if (_queues.Count == 0 || _queues[0].Day != today)
            {
                // Finish the previous day (callers still waiting give up at midnight), then start today.
                foreach (var q in _queues)
                {
                    q.AdvanceTo(q.DayEnd, _options.Tick, contacts);
                }

                _queues = _options.Queues.Select(q => new QueueSimulation(q, _options.Mode, _options.Seed, today)).ToList();
            }

            foreach (var q in _queues)
            {
                cancellationToken.ThrowIfCancellationRequested();
                q.AdvanceTo(now, _options.Tick, contacts);
            }

            var snapshots = _queues.Select(q => q.Snapshot(now)).ToList();
            return Task.FromResult(new TelephonyPoll(now, contacts, snapshots));
        }
    }
}
