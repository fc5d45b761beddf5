using Driftvy.Web.Admin;
using Driftvy.Web.Alerts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Health;
using Driftvy.Web.History;
using Driftvy.Web.Kpis;
using Driftvy.Web.Observability;
using Driftvy.Web.Security;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Staffing;
using Driftvy.Web.Steering;
using Driftvy.Web.Reports;

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

        // Wall screens, boards and display tokens; the daily steering view.
        app.MapDashboard();
        app.MapSteering();

        var api = app.MapGroup("/api");
        api.MapGet("/kpis", (KpiSetup kpis, DateOnly? on) => on is { } date ? kpis.Catalog.Describe(date) : kpis.Catalog.Describe())
            .RequireAuthorization(Policies.Viewer);
        api.MapGet("/targets", (KpiSetup kpis) => kpis.Targets.Targets).RequireAuthorization(Policies.Viewer);

        // Health, liveness and readiness for load balancers and operators (Health/HealthChecks.cs).
        app.MapDriftvyHealth();

        app.MapSecurity();
        app.MapAlerts();
        app.MapIngestion();
        app.MapAggregates();
        app.MapHistory();
        app.MapStaffing();

        app.MapReports();
        app.MapAdministration();
        app.MapObservability();
        return app;
    }
}
