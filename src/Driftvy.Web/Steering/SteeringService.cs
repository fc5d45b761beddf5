using Driftvy.Domain.BackOffice;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Web.History;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Kpis;

namespace Driftvy.Web.Steering;

/// <summary>The daily steering view (daglig styrning) for one day: every queue and team over four periods.</summary>
/// <param name="Date">The meeting day; the periods run up to and including it ("so far"), yesterday is the day before.</param>
/// <param name="GeneratedAt">When the view was computed.</param>
/// <param name="Periods">Yesterday, this week, month to date and year to date, each with its comparison period a year earlier.</param>
/// <param name="Queues">Contact-centre figures per queue.</param>
/// <param name="Teams">Per team: the contact figures of its queues together and its back-office figures.</param>
/// <param name="Annotations">Notes from 1 January to the meeting day.</param>
public sealed record SteeringView(
    DateOnly Date,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<SteeringPeriod> Periods,
    IReadOnlyList<SteeringRow> Queues,
    IReadOnlyList<SteeringRow> Teams,
    IReadOnlyList<AnnotationView> Annotations);

/// <summary>One column group of the view.</summary>
/// <param name="Id"><c>yesterday</c>, <c>week</c>, <c>month</c> or <c>ytd</c>.</param>
/// <param name="From">First day.</param>
/// <param name="To">Last day (inclusive).</param>
/// <param name="LastYearFrom">First day of the comparison period.</param>
/// <param name="LastYearTo">Last day of the comparison period (inclusive). Days and weeks compare with the same weekdays 52 weeks earlier; months and year to date with the same dates.</param>
public sealed record SteeringPeriod(string Id, DateOnly From, DateOnly To, DateOnly LastYearFrom, DateOnly LastYearTo);

/// <summary>A queue or team with its measures.</summary>
/// <param name="Id">Queue or team id.</param>
/// <param name="Name">Swedish name.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Measures">One per measure that applies.</param>
/// <param name="BacklogAges">Team rows: open cases at the end of the meeting day by age in working days (<c>0–2</c>, <c>3–5</c>, <c>6–10</c>, <c>&gt;10</c>); null without case data.</param>
/// <param name="DataAsOf">When the row's source last delivered (back-office import for teams).</param>
public sealed record SteeringRow(
    string Id,
    string Name,
    string NameEn,
    IReadOnlyList<SteeringMeasure> Measures,
    IReadOnlyDictionary<string, long>? BacklogAges,
    DateTimeOffset? DataAsOf);

/// <summary>One measure in every period.</summary>
/// <param name="Measure"><c>offered</c>, <c>service_level</c>, <c>answer_rate</c>, <c>abandonment</c>, <c>fcr</c>, <c>volume_per_fte</c>, <c>backlog</c>, <c>lead_time_median</c>, <c>lead_time_p90</c> or <c>within_promised</c>.</param>
/// <param name="Kpi">The catalogue KPI computing it (null for plain counts).</param>
/// <param name="Name">Swedish name.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Unit">Unit, as on the wall screen.</param>
/// <param name="Cells">Period id → figures.</param>
public sealed record SteeringMeasure(string Measure, string? Kpi, string Name, string NameEn, string Unit, IReadOnlyDictionary<string, SteeringCell> Cells);

/// <summary>A measure in one period.</summary>
/// <param name="Value">This period's value; null when there is none.</param>
/// <param name="Target">The target derived for the period.</param>
/// <param name="Status">Status against the target, as on the wall screen.</param>
/// <param name="LastYear">The same period a year earlier.</param>
/// <param name="Note">Why a value is missing, when it is.</param>
public sealed record SteeringCell(double? Value, double? Target, string Status, double? LastYear, string? Note);

/// <summary>
/// Builds the steering view. Contact-centre figures are sums of day buckets (kept 800 days, so last year is
/// there); back-office figures come from <see cref="IBackOfficeFacts"/>. Every value goes through the KPI engine.
/// </summary>
public sealed class SteeringService(KpiSetup kpis, TallyHistory history, IBackOfficeFacts backOffice, AnnotationService annotations, TimeProvider time)
{
    private static readonly (string Measure, FormulaKind Kind)[] QueueMeasures =
    [
        ("service_level", FormulaKind.ServiceLevel),
        ("answer_rate", FormulaKind.AnswerRate),
        ("abandonment", FormulaKind.AbandonmentRate),
        ("fcr", FormulaKind.FirstContactResolution),
    ];

    public async Task<SteeringView> BuildAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var periods = PeriodsFor(date);
        var queues = kpis.Organisation.Queues.Select(q => q.Id).ToList();

        // Sums of day buckets per queue, for every period and its comparison.
        var now = Tallies(await Task.WhenAll(periods.Select(p => history.DaysAsync(queues, p.Info.From, p.Info.To.AddDays(1), cancellationToken))).ConfigureAwait(false), queues);
        var lastYear = Tallies(await Task.WhenAll(periods.Select(p => history.DaysAsync(queues, p.Info.LastYearFrom, p.Info.LastYearTo.AddDays(1), cancellationToken))).ConfigureAwait(false), queues);

        var queueRows = kpis.Organisation.Queues
            .Select(q => ContactRow(q.Id, q.NameSv, q.NameEn, [q.Id], periods, now, lastYear, date))
            .ToList();

        var teamRows = new List<SteeringRow>();
        foreach (var team in kpis.Organisation.Teams)
        {
            var teamQueues = kpis.Organisation.Queues.Where(q => q.Team == team.Id).Select(q => q.Id).ToList();
            var contact = teamQueues.Count > 0 ? ContactRow(team.Id, team.NameSv, team.NameEn, teamQueues, periods, now, lastYear, date).Measures : [];
            var (backMeasures, ages, asOf) = await BackOfficeAsync(team.Id, periods, date, cancellationToken).ConfigureAwait(false);
            teamRows.Add(new SteeringRow(team.Id, team.NameSv, team.NameEn, [.. contact, .. backMeasures], ages, asOf));
        }

        var notes = await annotations.ListAsync(new DateOnly(date.Year, 1, 1), date.AddDays(1), null, cancellationToken).ConfigureAwait(false);
        return new SteeringView(date, time.GetUtcNow(), [.. periods.Select(p => p.Info)], queueRows, teamRows, notes);
    }

    internal static IReadOnlyList<(SteeringPeriod Info, Period Kpi, Period KpiLastYear)> PeriodsFor(DateOnly date)
    {
        var yesterday = date.AddDays(-1);
        var monday = Period.IsoWeekOf(date).Start;
        var month = new DateOnly(date.Year, date.Month, 1);
        var jan1 = new DateOnly(date.Year, 1, 1);
        var lastYearDate = date.AddYears(-1);
        return
        [
            (new SteeringPeriod("yesterday", yesterday, yesterday, yesterday.AddDays(-364), yesterday.AddDays(-364)), Period.Day(yesterday), Period.Day(yesterday.AddDays(-364))),
            // Week and month so far: per-FTE figures count the FTE of the days covered, this year and last.
            (new SteeringPeriod("week", monday, date, monday.AddDays(-364), date.AddDays(-364)), Period.IsoWeekOf(date).Through(date), Period.IsoWeekOf(date.AddDays(-364)).Through(date.AddDays(-364))),
            (new SteeringPeriod("month", month, date, month.AddYears(-1), lastYearDate), Period.Month(date.Year, date.Month).Through(date), Period.Month(lastYearDate.Year, lastYearDate.Month).Through(lastYearDate)),
            (new SteeringPeriod("ytd", jan1, date, jan1.AddYears(-1), lastYearDate), Period.YearToDate(date), Period.YearToDate(lastYearDate)),
        ];
    }

    private static List<Dictionary<string, ContactTally>> Tallies(IReadOnlyList<ContactTally>[] perPeriod, List<string> queues) =>
        [.. perPeriod.Select(list => queues.Select((q, i) => (q, t: list[i])).ToDictionary(x => x.q, x => x.t, StringComparer.Ordinal))];

    private SteeringRow ContactRow(
        string id, string name, string nameEn, IReadOnlyList<string> members,
        IReadOnlyList<(SteeringPeriod Info, Period Kpi, Period KpiLastYear)> periods,
        List<Dictionary<string, ContactTally>> now, List<Dictionary<string, ContactTally>> lastYear, DateOnly date)
    {
        var measures = new List<SteeringMeasure>();
        var offered = new Dictionary<string, SteeringCell>(StringComparer.Ordinal);
        for (var p = 0; p < periods.Count; p++)
        {
            offered[periods[p].Info.Id] = new SteeringCell(
                members.Sum(m => now[p][m].Offered), null, "no-target", members.Sum(m => lastYear[p][m].Offered), null);
        }

        measures.Add(new SteeringMeasure("offered", null, "Inkommande samtal", "Calls offered", "count", offered));
        foreach (var (measure, kind) in QueueMeasures)
        {
            var kpi = KpiFor(kind, v => members.All(m => v.Population.Queues.Contains(m)), date);
            if (kpi is null)
            {
                continue;
            }

            var version = kpis.Catalog.Get(kpi).VersionOn(date) ?? kpis.Catalog.Get(kpi).Latest;
            var cells = new Dictionary<string, SteeringCell>(StringComparer.Ordinal);
            for (var p = 0; p < periods.Count; p++)
            {
                var (info, period, periodLastYear) = periods[p];
                var reading = kpis.WithStatus(Evaluate(kpi, period, members, now[p]), period);
                var before = Evaluate(kpi, periodLastYear, members, lastYear[p]);
                cells[info.Id] = new SteeringCell(reading.Value.Value, reading.Status?.Target.Value, reading.StatusCode, before.Value, reading.Value.NoValueReason);
            }

            measures.Add(new SteeringMeasure(measure, kpi, version.NameSv, version.NameEn, TileShaper.UnitName(version.Unit), cells));
        }

        return new SteeringRow(id, name, nameEn, measures, null, null);
    }

    private KpiValue Evaluate(string kpi, Period period, IReadOnlyList<string> members, Dictionary<string, ContactTally> tallies) =>
        kpis.Engine.Evaluate(kpi, period, new KpiInputs { Contacts = [.. members.Select(m => new QueueTally(m, null, tallies[m]))] }, new KpiScope(Queues: members));

    private async Task<(List<SteeringMeasure> Measures, IReadOnlyDictionary<string, long>? Ages, DateTimeOffset? AsOf)> BackOfficeAsync(
        string team, IReadOnlyList<(SteeringPeriod Info, Period Kpi, Period KpiLastYear)> periods, DateOnly date, CancellationToken cancellationToken)
    {
        var jan1LastYear = new DateOnly(date.Year - 1, 1, 1);
        var facts = await backOffice.ReadAsync([team], jan1LastYear, date.AddDays(1), cancellationToken).ConfigureAwait(false);
        var measures = new List<SteeringMeasure>();
        (string Measure, Func<KpiVersion, bool> Match)[] wanted =
        [
            ("volume_per_fte", v => v.Kind == FormulaKind.VolumePerFte),
            ("backlog", v => v.Kind == FormulaKind.Backlog),
            ("lead_time_median", v => v.Kind == FormulaKind.LeadTime && v.Parameters.Percentile == 50 && v.Parameters.DayBasis == DayBasis.WorkingDays),
            ("lead_time_p90", v => v.Kind == FormulaKind.LeadTime && v.Parameters.Percentile == 90 && v.Parameters.DayBasis == DayBasis.WorkingDays),
            ("within_promised", v => v.Kind == FormulaKind.WithinPromisedShare),
        ];
        foreach (var (measure, match) in wanted)
        {
            var kpi = KpiFor(null, v => match(v) && v.Population.Teams.Contains(team), date);
            if (kpi is null)
            {
                continue;
            }

            var version = kpis.Catalog.Get(kpi).VersionOn(date) ?? kpis.Catalog.Get(kpi).Latest;
            var cells = new Dictionary<string, SteeringCell>(StringComparer.Ordinal);
            foreach (var (info, period, periodLastYear) in periods)
            {
                // Only what was known by the end of each period's last day counts, this year and last.
                var (value, note) = EvaluateBackOffice(kpi, team, period, Cut(facts, info.To));
                var reading = value is null ? null : kpis.WithStatus(value, period);
                var (before, _) = EvaluateBackOffice(kpi, team, periodLastYear, Cut(facts, info.LastYearTo));
                cells[info.Id] = new SteeringCell(
                    value?.Value,
                    reading?.Status?.Target.Value,
                    reading?.StatusCode ?? "no-data",
                    before?.Value,
                    note ?? value?.NoValueReason);
            }

            measures.Add(new SteeringMeasure(measure, kpi, version.NameSv, version.NameEn, TileShaper.UnitName(version.Unit), cells));
        }

        return (measures, BacklogAges(facts.Cases, team, date), facts.AsOf);
    }

    private (KpiValue? Value, string? Note) EvaluateBackOffice(string kpi, string team, Period period, BackOfficeFactSet facts)
    {
        try
        {
            return (kpis.Engine.Evaluate(kpi, period, new KpiInputs { Cases = facts.Cases, Volumes = facts.Volumes, Staffing = facts.Staffing }, new KpiScope(Teams: [team])), null);
        }
        catch (MissingStaffingException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>The facts as they stood at the end of <paramref name="lastDay"/>: later volumes dropped, later closings undone.</summary>
    private static BackOfficeFactSet Cut(BackOfficeFactSet facts, DateOnly lastDay)
    {
        var end = StockholmTime.StartOfDayUtc(lastDay.AddDays(1));
        return facts with
        {
            Volumes = [.. facts.Volumes.Where(v => v.Date <= lastDay)],
            Cases = [.. facts.Cases.Where(c => c.OpenedAt < end).Select(c => c.ClosedAt >= end ? c with { ClosedAt = null } : c)],
        };
    }

    private Dictionary<string, long>? BacklogAges(IReadOnlyList<CaseRecord> cases, string team, DateOnly date)
    {
        var end = StockholmTime.StartOfDayUtc(date.AddDays(1));
        var open = cases.Where(c => c.Team == team && c.OpenedAt < end && (c.ClosedAt is null || c.ClosedAt >= end)).ToList();
        if (cases.All(c => c.Team != team))
        {
            return null;
        }

        var ages = new Dictionary<string, long>(StringComparer.Ordinal) { ["0-2"] = 0, ["3-5"] = 0, ["6-10"] = 0, [">10"] = 0 };
        foreach (var c in open)
        {
            var age = kpis.Calendar.WorkingDaysElapsed(StockholmTime.LocalDate(c.OpenedAt), date);
            ages[age <= 2 ? "0-2" : age <= 5 ? "3-5" : age <= 10 ? "6-10" : ">10"]++;
        }

        return ages;
    }

    /// <summary>The first catalogue KPI in force on <paramref name="date"/> of the kind that matches, preferring one with a target.</summary>
    private string? KpiFor(FormulaKind? kind, Func<KpiVersion, bool> match, DateOnly date)
    {
        var candidates = kpis.Catalog.Kpis
            .Where(k => k.VersionOn(date) is { } v && (kind is null || v.Kind == kind) && match(v))
            .Select(k => k.Id)
            .ToList();
        return candidates.FirstOrDefault(k => kpis.Targets.Find(k, date.Year) is not null) ?? candidates.FirstOrDefault();
    }
}
