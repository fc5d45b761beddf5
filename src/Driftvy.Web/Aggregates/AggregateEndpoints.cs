using System.Diagnostics;

namespace Driftvy.Web.Aggregates;

/// <summary>What a rebuild did.</summary>
/// <param name="Store"><c>in-process</c> or <c>redis</c>.</param>
/// <param name="Folded">Stored contacts folded into the emptied store.</param>
/// <param name="Watermark">The store's watermark afterwards.</param>
/// <param name="Seconds">How long it took.</param>
public sealed record RebuildResult(string Store, long Folded, long Watermark, double Seconds);

/// <summary>The hot store's HTTP surface: the administrators' rebuild command.</summary>
internal static class AggregateEndpoints
{
    public static IEndpointRouteBuilder MapAggregates(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

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
}
