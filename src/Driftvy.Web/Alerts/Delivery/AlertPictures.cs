using System.Security.Cryptography;
using System.Text;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Domain.Kpis;
using Driftvy.Domain.Periods;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Charts;
using Driftvy.Web.Kpis;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Alerts.Delivery;

/// <summary>An alert's picture: its id (the same on every instance for the same event) and the PNG bytes.</summary>
internal sealed record AlertImage(string Id, byte[] Png);

/// <summary>
/// Draws the picture an alert notification carries: the queue's (or the team's queues') last two hours by quarter
/// hour, the rule's measure over them, its threshold and the moment it fired. The figures come from the same stores
/// the rule was measured from: quarter-hour tallies for a KPI rule (the KPI per quarter hour), the stored queue
/// snapshots for waiting calls and longest wait, and the queue's service-level KPI for the projected service level.
/// </summary>
internal sealed class AlertPictures(
    IAggregateStore aggregates,
    KpiSetup kpis,
    IDbContextFactory<DriftvyDbContext> contexts,
    ILogger<AlertPictures> logger)
{
    /// <summary>The window an alert's picture shows, ending when the notification is decided.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(2);

    /// <summary>The picture's id of an event: a hash of its notification key without the channel, so every channel and instance agree.</summary>
    public static string IdOf(AlertEvent alert) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NotificationKey.For(alert, string.Empty))))[..32];

    /// <summary>Whether a rule has a queue to draw: its own, or its team's.</summary>
    public bool HasPicture(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Measure is AlertMeasure.Kpi or AlertMeasure.Waiting or AlertMeasure.LongestWaitSeconds or AlertMeasure.ProjectedServiceLevel
            && Queues(rule).Count > 0;
    }

    /// <summary>The picture of <paramref name="alert"/> as of <paramref name="now"/>; null (and logged) when it cannot be drawn.</summary>
    public async Task<AlertImage?> RenderAsync(AlertEvent alert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var rule = alert.Incident.Rule;
        if (!HasPicture(rule))
        {
            return null;
        }

        try
        {
            var series = await SeriesAsync(alert, now, cancellationToken).ConfigureAwait(false);
            return new AlertImage(IdOf(alert), AlertChart.Render(series).Png);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A notification without its picture is better than none: the text says what happened.
            logger.LogWarning("Alert {Rule}: picture not drawn, notification sent without it: {Error}", rule.Id, ex.Message);
            return null;
        }
    }

    internal async Task<AlertChartSeries> SeriesAsync(AlertEvent alert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rule = alert.Incident.Rule;
        var queues = Queues(rule);
        var from = now - Window;
        var quarterStarts = BucketKey.Range(queues[0], Granularity.Quarter, from, now).Select(k => k.Start).ToList();
        var groups = quarterStarts.Select(start => (IReadOnlyList<BucketKey>)[.. queues.Select(q => new BucketKey(q, Granularity.Quarter, start))]).ToList();
        var perQueue = quarterStarts.SelectMany(start => queues.Select(q => (IReadOnlyList<BucketKey>)[new BucketKey(q, Granularity.Quarter, start)])).ToList();
        var tallies = await aggregates.ReadMergedAsync([.. groups, .. perQueue], cancellationToken).ConfigureAwait(false);
        var offered = quarterStarts.Select((start, i) => (start, (double)tallies[i].Offered)).ToList();

        var day = StockholmTime.LocalDate(now);
        string label;
        ChartUnit unit;
        double? threshold = rule.Threshold;
        var measure = new List<MeasurePoint>();
        switch (rule.Measure)
        {
            case AlertMeasure.Waiting:
            case AlertMeasure.LongestWaitSeconds:
                label = rule.Measure == AlertMeasure.Waiting ? "Väntande" : "Längsta väntan";
                unit = rule.Measure == AlertMeasure.Waiting ? ChartUnit.Count : ChartUnit.Seconds;
                measure.AddRange(await SnapshotsAsync(rule, queues, from, now, cancellationToken).ConfigureAwait(false));
                break;
            default:
                var kpi = rule.Measure == AlertMeasure.Kpi ? rule.Kpi : ServiceLevelKpi(queues[0], day);
                if (kpi is null || kpis.Catalog.Get(kpi).VersionOn(day) is not { } version)
                {
                    label = "Servicegrad";
                    unit = ChartUnit.Percent;
                    break;
                }

                label = version.NameSv + " per kvart";
                unit = AlertChart.UnitOf(version.Unit);
                for (var i = 0; i < quarterStarts.Count; i++)
                {
                    var inputs = new KpiInputs
                    {
                        Contacts = [.. queues.Select((q, j) => new QueueTally(q, null, tallies[groups.Count + (i * queues.Count) + j]))],
                    };
                    var value = kpis.Engine.Evaluate(kpi, Period.Day(StockholmTime.LocalDate(quarterStarts[i])), inputs, new KpiScope(Queues: queues));
                    if (value.Value is { } v)
                    {
                        // Drawn at the quarter's end: the value it had once the quarter was over (or now, for the one under way).
                        var end = quarterStarts[i].AddMinutes(15);
                        measure.Add(new MeasurePoint(end < now ? end : now, v));
                    }
                }

                // "Off target" and the projected service level are judged against the KPI's target for today.
                if (rule.Condition == AlertCondition.OffTarget || (rule.Measure == AlertMeasure.ProjectedServiceLevel && threshold is null))
                {
                    var empty = kpis.Engine.Evaluate(kpi, Period.Day(day), new KpiInputs { Contacts = [] }, new KpiScope(Queues: queues));
                    threshold = kpis.WithStatus(empty, Period.Day(day)).Status?.Target.Value ?? threshold;
                }

                break;
        }

        var names = string.Join(", ", queues.Select(q => kpis.Organisation.Queue(q)?.NameSv ?? q));
        var title = $"{rule.Name} – {names} {AlertChart.Window(from, now)}";
        return new AlertChartSeries(ChartRenderer.Slug(rule.Id), title, from, now, offered, label, unit, measure, threshold, alert.Incident.FiredAt);
    }

    private async Task<IReadOnlyList<MeasurePoint>> SnapshotsAsync(AlertRule rule, IReadOnlyList<string> queues, DateTimeOffset from, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (fromMs, toMs) = (from.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds());
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Set<QueueSnapshotFact>().AsNoTracking()
            .Where(s => queues.Contains(s.Queue) && s.AtMs >= fromMs && s.AtMs <= toMs)
            .Select(s => new { s.Queue, s.AtMs, s.Waiting, s.LongestWaitSeconds })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        // One point a minute: each queue's last snapshot in it; a team waits as the sum of its queues, its longest wait is the longest.
        return rows.GroupBy(r => r.AtMs / 60_000)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var last = g.GroupBy(r => r.Queue).Select(q => q.MaxBy(r => r.AtMs)!).ToList();
                double value = rule.Measure == AlertMeasure.Waiting ? last.Sum(r => r.Waiting) : last.Max(r => r.LongestWaitSeconds);
                return new MeasurePoint(DateTimeOffset.FromUnixTimeMilliseconds(g.Max(r => r.AtMs)), value);
            })
            .ToList();
    }

    private string? ServiceLevelKpi(string queue, DateOnly day) =>
        kpis.Catalog.Kpis.FirstOrDefault(k => k.VersionOn(day) is { Kind: FormulaKind.ServiceLevel } v && v.Population.Queues.Contains(queue))?.Id;

    private IReadOnlyList<string> Queues(AlertRule rule) =>
        rule.Queue is { } queue ? [queue]
        : rule.Team is { } team ? [.. kpis.Organisation.Queues.Where(q => q.Team == team).Select(q => q.Id)]
        : [];
}
