using Driftvy.Web.Dashboard;
using Driftvy.Web.Health;
using Driftvy.Web.Kpis;
using Driftvy.Web.Steering;

namespace Driftvy.Web.Infrastructure;

/// <summary>Maps Driftvy's HTTP surface: the wall screen, the board API, the hub and health.</summary>
internal static class DriftvyEndpoints
{
    public static WebApplication MapDriftvy(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();

        // Wall screens, boards and display tokens; the daily steering view.
        app.MapDashboard();
        app.MapSteering();

        var api = app.MapGroup("/api");
        api.MapGet("/kpis", (KpiSetup kpis, DateOnly? on) => on is { } date ? kpis.Catalog.Describe(date) : kpis.Catalog.Describe());
        api.MapGet("/targets", (KpiSetup kpis) => kpis.Targets.Targets);

        app.MapGet("/health", async (HealthReporter health, CancellationToken ct) =>
        {
            var report = await health.CheckAsync(ct);
            return Results.Json(report, statusCode: report.Status == "unhealthy" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        });
        app.MapGet("/health/live", () => Results.Ok(new { Status = "alive" }));

        return app;
    }
}
