using System.Diagnostics;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Kpis;

namespace Driftvy.Web.Aggregates;

/// <summary>What a rebuild did.</summary>
/// <param name="Store"><c>in-process</c> or <c>redis</c>.</param>
/// <param name="Folded">Stored contacts folded into the emptied store.</param>
/// <param name="Watermark">The store's watermark afterwards.</param>
/// <param name="Seconds">How long it took.</param>
public sealed record RebuildResult(string Store, long Folded, long Watermark, double Seconds);

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

/// <summary>The aggregates' HTTP surface: rolling windows per queue or team, and the rebuild command.</summary>
internal static class AggregateEndpoints
{
    private static readonly RollingWindow[] AllWindows = [RollingWindow.Last15Minutes, RollingWindow.Last60Minutes, RollingWindow.Today, RollingWindow.MonthToDate];

    public static IEndpointRouteBuilder MapAggregates(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/aggregates/queues/{id}", (string id, IAggregateStore store, TimeProvider time, CancellationToken ct) =>
            ReadWindowsAsync(store, [id], time, ct)).RequireAuthorization(Security.Policies.Viewer);
        api.MapGet("/aggregates/teams/{id}", async (string id, IAggregateStore store, KpiSetup kpis, TimeProvider time, CancellationToken ct) =>
        {
            var queues = AggregateWindows.QueuesOfTeam(kpis.Organisation, id);
            return queues.Count == 0 ? Results.NotFound() : Results.Ok(await ReadWindowsAsync(store, queues, time, ct));
        }).RequireAuthorization(Security.Policies.Viewer);

        // The durable tallies checked against their facts (from the oldest day whose facts are all kept, or ?from=).
        api.MapGet("/admin/history/verify", async (DateOnly? from, History.HistoryVerifier verifier, CancellationToken ct) =>
            Results.Ok(await verifier.VerifyAsync(from ?? verifier.DefaultVerificationStart(), ct)))
            .RequireAuthorization(Security.Policies.Admin);

        // Administrators only, and audited: a rebuild briefly shows "rebuilding" on every screen.
        api.MapPost("/admin/aggregates/rebuild", async (AggregateCatchUp catchUp, IAggregateStore store, IHostApplicationLifetime lifetime, Security.AuditLog audit, System.Security.Claims.ClaimsPrincipal user) =>
        {
            await audit.RecordAsync(user.Identity!.Name!, "rebuild", "aggregates", store.Kind, null, null, lifetime.ApplicationStopping);
            // Not tied to the request: a client that gives up must not leave the store half rebuilt.
            var started = Stopwatch.GetTimestamp();
            var folded = await catchUp.RebuildAsync(lifetime.ApplicationStopping);
            var watermark = await store.ReadWatermarkAsync(lifetime.ApplicationStopping);
            return new RebuildResult(store.Kind, folded, watermark, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }).RequireAuthorization(Security.Policies.Admin);
        return app;
    }

    private static async Task<IReadOnlyList<WindowFigures>> ReadWindowsAsync(IAggregateStore store, IReadOnlyList<string> queues, TimeProvider time, CancellationToken ct)
    {
        var tallies = await store.ReadAsync(queues, AllWindows, time.GetUtcNow(), ct);
        return AllWindows.Select(w => Figures(w, tallies[w])).ToList();
    }

    private static WindowFigures Figures(RollingWindow window, ContactTally t) => new(
        window, t.Offered, t.Answered, t.Abandoned, t.AnsweredWithin(60),
        t.Answered > 0 ? t.AnsweredWaitSecondsSum / t.Answered : null,
        t.AnsweredWaitPercentile(90));
}
