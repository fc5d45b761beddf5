using Driftvy.Web.Alerts;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Health;
using Driftvy.Web.Kpis;
using Driftvy.Web.Security;
using System.Security.Claims;
using Driftvy.Web.Sources.Ingestion;
using Microsoft.Extensions.FileProviders;

namespace Driftvy.Web.Infrastructure;

/// <summary>Maps Driftvy's HTTP surface: the wall screen, the board API, the hub and health.</summary>
internal static class DriftvyEndpoints
{
    public static WebApplication MapDriftvy(this WebApplication app)
    {
        // Security headers on everything, static files included. Static files (the pages and their
        // scripts) hold no data and are public; data comes from the API and the hub, authorised below.
        app.UseSecurityHeaders();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseSecurity();

        // The wall screen is one static page; the board id comes from the path.
        var page = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
        app.MapGet("/boards/{id}", (string id) => ServePage(page)).AllowAnonymous();

        var api = app.MapGroup("/api");
        api.MapGet("/boards", (BoardCatalog boards, ClaimsPrincipal user) =>
            boards.All.Where(b => BoardAccess.MaySee(user, b.Id))
                .Select(b => new { b.Id, b.Title, Default = b.Id == boards.DefaultBoard, Tiles = b.Tiles.Count }))
            .RequireAuthorization(Policies.ViewBoards);
        api.MapGet("/boards/{id}/snapshot", async (string id, BoardSnapshotService snapshots, ClaimsPrincipal user, CancellationToken ct) =>
            !BoardAccess.MaySee(user, id) ? Results.Forbid()
            : await snapshots.BuildAsync(id, ct) is { } snapshot ? Results.Ok(snapshot) : Results.NotFound())
            .RequireAuthorization(Policies.ViewBoards);
        api.MapGet("/kpis", (KpiSetup kpis, DateOnly? on) => on is { } date ? kpis.Catalog.Describe(date) : kpis.Catalog.Describe())
            .RequireAuthorization(Policies.Viewer);
        api.MapGet("/targets", (KpiSetup kpis) => kpis.Targets.Targets).RequireAuthorization(Policies.Viewer);
        api.MapGet("/config", (BoardCatalog boards) => new { DefaultBoard = boards.DefaultBoard }).AllowAnonymous();

        // Health is for load balancers and operators: no secrets, only states and ages.
        app.MapGet("/health", async (HealthReporter health, CancellationToken ct) =>
        {
            var report = await health.CheckAsync(ct);
            return Results.Json(report, statusCode: report.Status == "unhealthy" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        }).AllowAnonymous();
        app.MapGet("/health/live", () => Results.Ok(new { Status = "alive" })).AllowAnonymous();

        app.MapSecurity();
        app.MapAlerts();
        app.MapHub<DashboardHub>(DashboardHub.Path).RequireAuthorization(Policies.ViewBoards);

        app.MapIngestion();
        return app;
    }

    private static IResult ServePage(IFileInfo page) =>
        page.Exists && page.PhysicalPath is { } path
            ? Results.File(path, "text/html; charset=utf-8")
            : Results.NotFound();
}
