using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Kpis;

namespace Driftvy.Web.History;

/// <summary>One rolling window's figures for a queue or a team.</summary>
/// <param name="Window">Which window.</param>
/// <param name="Offered">Contacts offered.</param>
/// <param name="Answered">Contacts answered.</param>
/// <param name="Abandoned">Contacts abandoned.</param>
/// <param name="AnsweredWithin60Seconds">Answered with a wait of at most 60 s.</param>
/// <param name="AverageAnsweredWaitSeconds">Mean wait of the answered; null when none.</param>
/// <param name="AnsweredWaitP90Seconds">90th percentile of answered waits in whole seconds; null when none.</param>
public sealed record WindowFigures(
    RollingWindow Window, long Offered, long Answered, long Abandoned, long AnsweredWithin60Seconds,
    double? AverageAnsweredWaitSeconds, int? AnsweredWaitP90Seconds);

/// <summary>One queue's contacts of one channel over a period.</summary>
public sealed record ChannelFigures(string Queue, string Channel, long Offered, long Answered, long Abandoned, long AnsweredWithin60Seconds);

/// <summary>
/// Contact figures over windows reaching into the past, per queue or team, and the check of the durable tallies. The
/// minute windows and today come from the hot store; the month to date adds the closed days from the durable tallies
/// (<see cref="TallyHistory"/>), so it is whole after any restart or flush.
/// </summary>
internal static class HistoryEndpoints
{
    private static readonly RollingWindow[] HotWindows = [RollingWindow.Last15Minutes, RollingWindow.Last60Minutes, RollingWindow.Today];

    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/aggregates/queues/{id}", (string id, IAggregateStore store, TallyHistory history, TimeProvider time, CancellationToken ct) =>
            ReadWindowsAsync(store, history, [id], time, ct)).RequireAuthorization(Security.Policies.Viewer);
        api.MapGet("/aggregates/teams/{id}", async (string id, IAggregateStore store, TallyHistory history, KpiSetup kpis, TimeProvider time, CancellationToken ct) =>
        {
            var queues = AggregateWindows.QueuesOfTeam(kpis.Organisation, id);
            return queues.Count == 0 ? Results.NotFound() : Results.Ok(await ReadWindowsAsync(store, history, queues, time, ct));
        }).RequireAuthorization(Security.Policies.Viewer);

        // Contacts per queue and channel over whole Stockholm days [from, to), from the durable history.
        api.MapGet("/history/channels", async (DateOnly from, DateOnly to, IContactHistory history, CancellationToken ct) =>
        {
            if (to <= from || to.DayNumber - from.DayNumber > 3660)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "from must be before to, at most ten years apart");
            }

            var days = await history.ReadChannelDaysAsync(from, to, ct);
            return Results.Ok(days.GroupBy(d => (d.Queue, d.Channel)).Select(g =>
            {
                var t = new ContactTally();
                foreach (var d in g)
                {
                    t.Merge(d.Tally);
                }

                return new ChannelFigures(g.Key.Queue, ContactTallies.ChannelName(g.Key.Channel), t.Offered, t.Answered, t.Abandoned, t.AnsweredWithin(60));
            }).ToList());
        }).RequireAuthorization(Security.Policies.Viewer);

        // The durable tallies checked against their facts (from the oldest day whose facts are all kept, or ?from=).
        api.MapGet("/admin/history/verify", async (DateOnly? from, HistoryVerifier verifier, CancellationToken ct) =>
            Results.Ok(await verifier.VerifyAsync(from ?? verifier.DefaultVerificationStart(), ct)))
            .RequireAuthorization(Security.Policies.Admin);
        return app;
    }

    private static async Task<IReadOnlyList<WindowFigures>> ReadWindowsAsync(
        IAggregateStore store, TallyHistory history, IReadOnlyList<string> queues, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var hot = await store.ReadAsync(queues, HotWindows, now, ct);
        var today = StockholmTime.LocalDate(now);
        var month = new ContactTally();
        foreach (var tally in await history.DaysAsync(queues, new DateOnly(today.Year, today.Month, 1), today.AddDays(1), ct))
        {
            month.Merge(tally);
        }

        return [.. HotWindows.Select(w => Figures(w, hot[w])), Figures(RollingWindow.MonthToDate, month)];
    }

    private static WindowFigures Figures(RollingWindow window, ContactTally t) => new(
        window, t.Offered, t.Answered, t.Abandoned, t.AnsweredWithin(60),
        t.Answered > 0 ? t.AnsweredWaitSecondsSum / t.Answered : null,
        t.AnsweredWaitPercentile(90));
}
