using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Web.History;
using Driftvy.Web.Kpis;

namespace Driftvy.Web.Reports;

/// <summary>A staff KPI's outcome split by gender (utfall män / kvinnor), entered with the KPI's value.</summary>
public sealed record GenderSplit(string KpiId, string PeriodId, double Men, double Women);

/// <summary>The back-office part of a report's inputs: cases, daily volumes, monthly staffing and entered values.</summary>
public sealed record BackOfficeData
{
    public static BackOfficeData Empty { get; } = new();

    public IReadOnlyList<CaseRecord> Cases { get; init; } = [];

    public IReadOnlyList<DailyVolume> Volumes { get; init; } = [];

    public IReadOnlyList<MonthlyStaffing> Staffing { get; init; } = [];

    public IReadOnlyList<EnteredValue> Entered { get; init; } = [];

    public IReadOnlyList<GenderSplit> GenderSplits { get; init; } = [];
}

/// <summary>
/// Where the back-office figures come from. The default has none; the ingestion tables (cases, daily
/// volumes, monthly staffing) bind here. Return what a report over [from, toExclusive) needs: volumes and
/// staffing inside it, cases open at some time inside it, and entered values.
/// </summary>
public interface IBackOfficeRecords
{
    Task<BackOfficeData> LoadAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken);
}

/// <summary>No back-office data: contact KPIs still report, back-office rows show "no value" with a reason.</summary>
public sealed class EmptyBackOfficeRecords : IBackOfficeRecords
{
    public Task<BackOfficeData> LoadAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken) =>
        Task.FromResult(BackOfficeData.Empty);
}

/// <summary>Everything a report reads, for a span of whole days.</summary>
public interface IReportInputs
{
    /// <summary>The inputs over [from, toExclusive): contact tallies per queue and day, and the back-office data.</summary>
    Task<ReportData> LoadAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken);
}

/// <summary>Convenience forms of <see cref="IReportInputs"/>.</summary>
public static class ReportInputsExtensions
{
    /// <summary>The engine's inputs for one period: contact tallies summed over the period's day buckets.</summary>
    public static async Task<KpiInputs> LoadAsync(this IReportInputs inputs, Period period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(period);
        var data = await inputs.LoadAsync(period.Start, period.End, cancellationToken).ConfigureAwait(false);
        return data.InputsFor(period);
    }
}

/// <summary>
/// Contacts from the durable day tallies (written with the facts, never pruned: a report over three years reads
/// about 1 100 rows per queue, never the raw contacts, and gives the same figures from the host and the command line
/// whatever was restarted or flushed) and back-office data from <see cref="IBackOfficeRecords"/>.
/// </summary>
public sealed class HistoryReportInputs(IContactHistory history, IBackOfficeRecords backOffice, KpiSetup kpis) : IReportInputs
{
    public async Task<ReportData> LoadAsync(DateOnly from, DateOnly toExclusive, CancellationToken cancellationToken)
    {
        var queues = kpis.Organisation.Queues.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        var backOfficeTask = backOffice.LoadAsync(from, toExclusive, cancellationToken);
        var days = await history.ReadDaysAsync(from, toExclusive, cancellationToken).ConfigureAwait(false);
        var first = await history.FirstDayAsync(cancellationToken).ConfigureAwait(false);
        var daily = days.Where(d => queues.Contains(d.Queue)).Select(d => new DailyTally(d.Queue, d.Date, d.Tally)).ToList();
        return new ReportData(from, toExclusive, daily, await backOfficeTask.ConfigureAwait(false)) { Coverage = new ContactCoverage(first) };
    }
}

/// <summary>Where the stored contact history begins (<see cref="FirstDay"/> null: no contact stored yet).</summary>
public sealed record ContactCoverage(DateOnly? FirstDay);

/// <summary>One queue's contacts on one Stockholm day.</summary>
public sealed record DailyTally(string Queue, DateOnly Date, ContactTally Tally);

/// <summary>
/// A report's inputs over a span of days. Contact tallies are summed per month once, so the many periods
/// a report evaluates (month, year to date, last year, the trend) each merge at most twelve tallies per queue.
/// </summary>
public sealed class ReportData
{
    private readonly Dictionary<(string Queue, int Year, int Month), ContactTally> _monthly = [];

    // A report asks for the same few periods (month, year to date, last year, the trend months) once per
    // KPI row; each is filtered once. Not thread-safe: one report build uses one instance.
    private readonly Dictionary<string, KpiInputs> _byPeriod = new(StringComparer.Ordinal);

    public ReportData(DateOnly from, DateOnly toExclusive, IReadOnlyList<DailyTally> contacts, BackOfficeData backOffice)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        ArgumentNullException.ThrowIfNull(backOffice);
        From = from;
        ToExclusive = toExclusive;
        Contacts = [.. contacts.OrderBy(c => c.Queue, StringComparer.Ordinal).ThenBy(c => c.Date)];
        BackOffice = backOffice;
        foreach (var c in Contacts)
        {
            var key = (c.Queue, c.Date.Year, c.Date.Month);
            if (!_monthly.TryGetValue(key, out var t))
            {
                _monthly[key] = t = new ContactTally();
            }

            t.Merge(c.Tally);
        }
    }

    public DateOnly From { get; }

    public DateOnly ToExclusive { get; }

    /// <summary>
    /// The first Stockholm day of the stored contact history (null inside: nothing stored yet), when the inputs know
    /// it; a period before it says so rather than "no contacts offered".
    /// </summary>
    public ContactCoverage? Coverage { get; init; }

    public IReadOnlyList<DailyTally> Contacts { get; }

    public BackOfficeData BackOffice { get; }

    /// <summary>The engine's inputs for <paramref name="period"/> (which should lie inside the loaded span).</summary>
    public KpiInputs InputsFor(Period period)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (!_byPeriod.TryGetValue(period.Id, out var inputs))
        {
            _byPeriod[period.Id] = inputs = Filter(period);
        }

        return inputs;
    }

    private KpiInputs Filter(Period period)
    {
        var months = period.Months();
        var perQueue = new SortedDictionary<string, ContactTally>(StringComparer.Ordinal);
        var wholeMonths = months.All(m => m.Share >= 1);
        if (wholeMonths)
        {
            foreach (var m in months)
            {
                foreach (var ((queue, y, mo), t) in _monthly)
                {
                    if (y == m.Year && mo == m.Month)
                    {
                        Add(perQueue, queue, t);
                    }
                }
            }
        }
        else
        {
            foreach (var c in Contacts.Where(c => period.Contains(c.Date)))
            {
                Add(perQueue, c.Queue, c.Tally);
            }
        }

        var bo = BackOffice;
        return new KpiInputs
        {
            Contacts = [.. perQueue.Select(kv => new QueueTally(kv.Key, null, kv.Value))],
            Volumes = [.. bo.Volumes.Where(v => period.Contains(v.Date))],
            Staffing = [.. bo.Staffing.Where(s => months.Any(m => m.Year == s.Year && m.Month == s.Month))],
            Cases = [.. bo.Cases.Where(c => c.OpenedAt < period.UtcRange.End && (c.ClosedAt is null || c.ClosedAt >= period.UtcRange.Start))],
            Entered = bo.Entered,
        };
    }

    /// <summary>Daily series of one queue group's offered contacts (feeds the volume forecast of a ratio's denominator).</summary>
    public IReadOnlyList<DailyVolume> DailyOffered(IReadOnlyCollection<string> queues, int year) =>
        [.. Contacts.Where(c => c.Date.Year == year && queues.Contains(c.Queue)).Select(c => new DailyVolume(c.Date, c.Queue, "offered", c.Tally.Offered))];

    private static void Add(SortedDictionary<string, ContactTally> perQueue, string queue, ContactTally t)
    {
        if (!perQueue.TryGetValue(queue, out var merged))
        {
            perQueue[queue] = merged = new ContactTally();
        }

        merged.Merge(t);
    }
}
