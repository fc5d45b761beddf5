using Driftvy.Web.Dashboard;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Health;
using Driftvy.Web.Kpis;
using Driftvy.Web.Reports;
using Microsoft.Extensions.FileProviders;

namespace Driftvy.Web.Infrastructure;

/// <summary>Maps Driftvy's HTTP surface: the wall screen, the board API, the hub and health.</summary>
internal static class DriftvyEndpoints
{
    public static WebApplication MapDriftvy(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();

        // The wall screen is one static page; the board id comes from the path.
        var page = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
        app.MapGet("/boards/{id}", (string id) => ServePage(page));

        var api = app.MapGroup("/api");
        api.MapGet("/boards", (BoardCatalog boards) =>
            boards.All.Select(b => new { b.Id, b.Title, Default = b.Id == boards.DefaultBoard, Tiles = b.Tiles.Count }));
        api.MapGet("/boards/{id}/snapshot", async (string id, BoardSnapshotService snapshots, CancellationToken ct) =>
            await snapshots.BuildAsync(id, ct) is { } snapshot ? Results.Ok(snapshot) : Results.NotFound());
        api.MapGet("/kpis", (KpiSetup kpis, DateOnly? on) => on is { } date ? kpis.Catalog.Describe(date) : kpis.Catalog.Describe());
        api.MapGet("/targets", (KpiSetup kpis) => kpis.Targets.Targets);
        api.MapGet("/config", (BoardCatalog boards) => new { DefaultBoard = boards.DefaultBoard });

        app.MapGet("/health", async (HealthReporter health, CancellationToken ct) =>
        {
            var report = await health.CheckAsync(ct);
            return Results.Json(report, statusCode: report.Status == "unhealthy" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        });
        app.MapGet("/health/live", () => Results.Ok(new { Status = "alive" }));

        app.MapHub<DashboardHub>(DashboardHub.Path);
        app.MapReports();
        return app;
    }

    private static IResult ServePage(IFileInfo page) =>
        page.Exists && page.PhysicalPath is { } path
            ? Results.File(path, "text/html; charset=utf-8")
            : Results.NotFound();
}
