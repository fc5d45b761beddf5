using System.Security.Claims;
using Driftvy.Web.History;
using Driftvy.Web.Security;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Dashboard.Display;
using Driftvy.Web.Kpis;
using Microsoft.Extensions.FileProviders;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Dashboard;

/// <summary>Registers and maps the wall screens: boards, snapshots, the hub, display tokens.</summary>
internal static class DashboardSetup
{
    public static void AddDashboardServices(this WebApplicationBuilder builder, Func<string, string, string> resolveFolder)
    {
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName)
            .Validate(DashboardOptions.IsValid, "Dashboards: Directory and DefaultBoard must be set and BackOfficeStaleAfter must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DashboardOptions>>().Value;
            var env = sp.GetRequiredService<IWebHostEnvironment>();
            return BoardCatalog.Load(resolveFolder(o.Directory, env.ContentRootPath), o.DefaultBoard, sp.GetRequiredService<KpiSetup>().Catalog);
        });
        builder.Services.AddHostedService<BoardFileWatcher>();
        builder.Services.AddSingleton<TallyHistory>();
        builder.Services.AddSingleton<IBoardPushSequence>(sp => sp.GetService<StackExchange.Redis.IConnectionMultiplexer>() is { } redis
            ? new RedisBoardPushSequence(redis, sp.GetRequiredService<IOptions<Aggregates.AggregateOptions>>().Value.KeyPrefix,
                sp.GetRequiredService<IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions)
            : new InProcessBoardPushSequence());
        builder.Services.AddSingleton<BoardSnapshotService>();
        builder.Services.AddSingleton<IDashboardNotifier, DashboardNotifier>();
        builder.Services.AddSingleton<HubSessions>();
        builder.Services.AddSingleton<ILiveSessions>(sp => sp.GetRequiredService<HubSessions>());
        builder.Services.AddSingleton<DisplayTokenService>();
        builder.Services.AddSingleton<IDisplayTokenValidator>(sp => sp.GetRequiredService<DisplayTokenService>());
        builder.Services.AddSingleton<EndedSessionSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EndedSessionSweeper>());
        builder.Services.AddSingleton<SessionHubFilter>();
        builder.Services.AddSignalR(o => o.AddFilter<SessionHubFilter>());
    }

    public static void MapDashboard(this WebApplication app)
    {
        // The wall screen is one static page; the board id (or display token) comes from the path.
        var page = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
        app.MapGet("/boards/{id}", async (string id, string? token, BoardCatalog boards, DisplayTokenService tokens, CancellationToken ct) =>
        {
            if (token is null)
            {
                return boards.Find(id) is null ? Results.NotFound() : ServePage(page);
            }

            var display = await tokens.ValidateAsync(token, ct);
            return display is null ? Refused()
                : display.BoardId != id ? Results.Text("Visningslänken gäller en annan tavla.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden)
                : ServePage(page);
        }).AllowAnonymous();
        app.MapGet("/display/{token}", async (string token, DisplayTokenService tokens, CancellationToken ct) =>
            await tokens.ValidateAsync(token, ct) is null ? Refused() : ServePage(page)).AllowAnonymous();

        var api = app.MapGroup("/api");
        api.MapGet("/boards", (BoardCatalog boards, ClaimsPrincipal user) => new BoardList(
            boards.All.Where(b => BoardAccess.MaySee(user, b.Id))
                .Select(b => new BoardSummary(b.Id, b.Title, b.Id == boards.DefaultBoard, b.Pages.Count, b.Tiles.Count, b.File)),
            boards.Rejected.Select(e => new RejectedBoardFile(e.File, e.Field, e.Message)))).RequireAuthorization(Policies.ViewBoards);
        api.MapGet("/boards/{id}/snapshot", async (string id, BoardSnapshotService snapshots, ClaimsPrincipal user, CancellationToken ct) =>
            !BoardAccess.MaySee(user, id) ? Results.Forbid()
            : await snapshots.BuildAsync(id, ct) is { } snapshot ? Results.Ok(snapshot) : Results.NotFound())
            .RequireAuthorization(Policies.ViewBoards);
        api.MapGet("/boards/{id}/image.png", async (string id, int? width, int? height, BoardSnapshotService snapshots, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (!BoardAccess.MaySee(user, id))
            {
                return Results.Forbid();
            }

            var (w, h) = BoardImage.Size(width, height);
            return await snapshots.BuildAsync(id, ct) is { } snapshot ? Results.File(BoardImage.Render(snapshot, w, h), "image/png") : Results.NotFound();
        }).RequireAuthorization(Policies.ViewBoards);
        // SignInRequired: a screen opened without a display link by someone not signed in is sent to the sign-in page
        // rather than left trying a hub that will refuse it.
        api.MapGet("/config", (BoardCatalog boards, IOptionsMonitor<SecurityOptions> security) =>
            new ScreenConfig(boards.DefaultBoard, !security.CurrentValue.AnonymousRead)).AllowAnonymous();
        api.MapGet("/display/{token}", async (string token, DisplayTokenService tokens, CancellationToken ct) =>
            await tokens.ValidateAsync(token, ct) is { } display ? Results.Ok(new DisplayTokenBoard(display.BoardId)) : Refused())
            .Produces<DisplayTokenBoard>().AllowAnonymous();

        // Display-token administration: admins only, every change audited.
        var admin = api.MapGroup("/admin/display-tokens").RequireAuthorization(Policies.Admin);
        admin.MapPost("/", async (CreateDisplayTokenRequest request, DisplayTokenService tokens, AuditLog audit, ClaimsPrincipal user, CancellationToken ct) =>
        {
            try
            {
                var created = await tokens.CreateAsync(request.BoardId, request.Label, ct);
                await audit.RecordAsync(user.Identity!.Name!, "create", "display-token", created.Info.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { request.BoardId, request.Label }, ct);
                return Results.Created($"/api/admin/display-tokens/{created.Info.Id}", created);
            }
            catch (ArgumentException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        admin.MapGet("/", async (DisplayTokenService tokens, HubSessions connections, CancellationToken ct) =>
            (await tokens.ListAsync(ct)).Select(t => new DisplayTokenListItem(t.Id, t.BoardId, t.Label, t.CreatedAt, t.LastUsedAt, t.RevokedAt, t.Revoked, connections.Count(t.Id))));
        admin.MapDelete("/{id:long}", async (long id, DisplayTokenService tokens, AuditLog audit, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (!await tokens.RevokeAsync(id, ct))
            {
                return Results.NotFound();
            }

            await audit.RecordAsync(user.Identity!.Name!, "revoke", "display-token", id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { Revoked = false }, new { Revoked = true }, ct);
            return Results.NoContent();
        });

        // The hub's POSTs (negotiate, long-polling sends) carry no antiforgery header: the SignalR client cannot add
        // one to every transport, and a signed-in wall screen would never connect. They need none: the hub only
        // reads (joining a board), its answers cannot be read cross-site, and the session cookie is SameSite=Strict.
        app.MapHub<DashboardHub>(DashboardHub.Path).RequireAuthorization(Policies.ViewBoards).DisableAntiforgery();
    }

    private static IResult Refused() =>
        Results.Text("Visningslänken gäller inte: den är okänd eller återkallad.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);

    private static IResult ServePage(IFileInfo page) =>
        page.Exists && page.PhysicalPath is { } path
            ? Results.File(path, "text/html; charset=utf-8")
            : Results.NotFound();
}

/// <summary>Body of <c>POST /api/admin/display-tokens</c>.</summary>
/// <param name="BoardId">The board the token opens.</param>
/// <param name="Label">Where the screen hangs.</param>
public sealed record CreateDisplayTokenRequest(string BoardId, string? Label);
