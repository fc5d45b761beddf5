using System.Globalization;
using System.Text;
using Driftvy.Web.Alerts.Delivery;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Kpis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Driftvy.Web.Infrastructure;

namespace Driftvy.Web.Alerts;

/// <summary>Alert settings. Section <c>Alerts</c>.</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>The rule file (relative paths resolve like the seed folder).</summary>
    public string RulesFile { get; set; } = "seed/alerts.json";

    /// <summary>How often rules are evaluated when no data arrives (a silent source is noticed this way).</summary>
    public TimeSpan EvaluateEvery { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the instance that evaluates the rules holds its lease without renewing it (renewed every third of
    /// it); when that instance dies another takes over within this time.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The absolute address Driftvy is reached at from outside (e.g. <c>https://driftvy.example.se</c>), for links
    /// that leave the site: the pictures in Teams cards. Empty: Teams cards carry no picture.
    /// </summary>
    public string PublicBaseUrl { get; set; } = string.Empty;

    internal static bool IsValidBaseUrl(string value) =>
        string.IsNullOrEmpty(value) ||
        (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment));
}

internal sealed record AcknowledgeRequest(string? Comment);

/// <summary>Registers alerting: rules, engine, monitor, delivery, log, screen pushes and the HTTP API.</summary>
internal static class AlertServices
{
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.SectionName)
            .Validate(o => o.EvaluateEvery >= TimeSpan.FromSeconds(1), "Alerts:EvaluateEvery must be at least 00:00:01.")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(1) && o.LeaseDuration <= TimeSpan.FromHours(1), "Alerts:LeaseDuration must lie between 00:00:01 and 01:00:00.")
            .Validate(o => AlertOptions.IsValidBaseUrl(o.PublicBaseUrl), "Alerts:PublicBaseUrl must be empty or an absolute http(s) address without query.")
            .ValidateOnStart();
        builder.Services.AddOptions<AlertImageOptions>().BindConfiguration(AlertImageOptions.SectionName)
            .Validate(AlertImageOptions.IsValid, "Alerts:Images: ValidFor 00:01:00 – 366.00:00:00; SigningKey empty, env:NAME or at least 32 characters.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AlertPictures>();
        builder.Services.AddSingleton<AlertImageLinks>();
        builder.Services.AddOptions<AlertDeliveryOptions>().BindConfiguration(AlertDeliveryOptions.SectionName)
            .Validate(AlertDeliveryOptions.IsValid, "Alerts:Delivery: MaxAttempts 1–20, InitialBackoff 0 – 01:00:00, AttemptTimeout 00:00:00.010 – 01:00:00, BreakDuration ≥ 00:00:00.500, QueueCapacity 1 – 1000000, ClaimFor 00:00:01 – 1.00:00:00.")
            .ValidateOnStart();
        // Webhooks: one resilience pipeline (retry with jitter, circuit breaker, attempt timeout) per channel.
        builder.Services.AddHttpClient(AlertDispatcher.HttpClientName)
            .AddResilienceHandler("alert-delivery", (pipeline, context) => AlertDispatcher.ConfigureHttpPipeline(
                pipeline, context.ServiceProvider.GetRequiredService<IOptions<AlertDeliveryOptions>>().Value, context.ServiceProvider.GetRequiredService<TimeProvider>()))
            .SelectPipelineBy(_ => request => request.Options.TryGetValue(AlertDispatcher.ChannelOption, out var channel) ? channel : "");
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AlertOptions>>().Value;
            var path = Infrastructure.DriftvyServices.ResolveFile(o.RulesFile, sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath);
            if (!File.Exists(path))
            {
                return new AlertRuleSource(AlertRuleSet.Empty);
            }

            var json = File.ReadAllText(path);
            return new AlertRuleSource(AlertRuleSource.Parse(json, Path.GetFileName(path), sp.GetRequiredService<KpiSetup>()), json, Path.GetFileName(path));
        });
        builder.Services.AddSingleton<AlertEngine>();
        builder.Services.AddSingleton<IAlertLog, AlertLog>();
        builder.Services.AddSingleton<State.AlertStateStore>();
        builder.Services.AddSingleton<State.AlertLease>();
        builder.Services.AddHostedService<State.AlertLeaseKeeper>();
        builder.Services.AddSingleton<IAlertBroadcaster, SignalRAlertBroadcaster>();
        builder.Services.AddSingleton<AlertDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        builder.Services.AddSingleton<AlertMonitor>();
        builder.Services.AddSingleton<Aggregates.IAggregateObserver>(sp => sp.GetRequiredService<AlertMonitor>());
        builder.Services.AddSingleton<Sources.Ingestion.IImportObserver>(sp => sp.GetRequiredService<AlertMonitor>());
        builder.Services.AddHostedService<AlertTimer>();
        return builder;
    }

    public static WebApplication MapAlerts(this WebApplication app)
    {
        // The pictures linked from Teams cards: the signed link is the permission (Teams fetches without signing in).
        app.MapGet("/alerts/images/{id}.png", async (string id, string? exp, string? sig, AlertImageLinks links, State.AlertStateStore store, CancellationToken ct) =>
        {
            switch (links.Check(id, exp, sig))
            {
                case AlertImageLinkCheck.BadSignature:
                    return Results.NotFound();
                case AlertImageLinkCheck.Expired:
                    return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            return await store.FindImageAsync(id, ct) is { } image ? Results.File(image.Png, "image/png") : Results.NotFound();
        }).AllowAnonymous()
            .WithSummary("An alert's picture, behind the signed link its Teams card carries (404 when the link is not genuine, 403 when it has expired).")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .Produces(StatusCodes.Status403Forbidden)
            .Produces(StatusCodes.Status404NotFound);

        var api = app.MapGroup("/api/alerts");
        api.MapGet("/", async (AlertMonitor monitor, BoardCatalog boards, string? board, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct) =>
        {
            // From the database: every instance answers alike, acknowledgements made on another included.
            var open = (await monitor.OpenIncidentsAsync(ct)).Select(AlertView.From);
            if (board is null)
            {
                // A display token sees only its own board's alerts.
                return user.FindFirst(Security.Schemes.BoardClaim) is { } own ? SignalRAlertBroadcaster.ForBoard(boards.Find(own.Value), open) : open;
            }

            return Security.BoardAccess.MaySee(user, board) ? SignalRAlertBroadcaster.ForBoard(boards.Find(board), open) : [];
        }).RequireAuthorization(Security.Policies.ViewBoards);
        api.MapPost("/{id:guid}/acknowledge", async (Guid id, AcknowledgeRequest request, AlertMonitor monitor, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct) =>
        {
            // Who acknowledged is the signed-in user, never a name the request claims.
            var incident = await monitor.AcknowledgeAsync(id, user.Identity!.Name!, request.Comment, ct);
            return incident is null ? Results.NotFound() : Results.Ok(AlertView.From(incident));
        }).RequireAuthorization(Security.Policies.TeamLeader);
        api.MapGet("/log", async (IAlertLog log, string? queue, DateTimeOffset? from, DateTimeOffset? to, string? format, CancellationToken ct) =>
        {
            var entries = await log.QueryAsync(queue, from, to, ct);
            return format == "csv" ? Results.Text(ToCsv(entries), "text/csv; charset=utf-8") : Results.Ok(entries);
        }).RequireAuthorization(Security.Policies.Viewer);
        return app;
    }

    private static string ToCsv(IReadOnlyList<AlertLogEntry> entries)
    {
        var sb = new StringBuilder("id,rule_id,name,severity,queue,fired_at,value,acknowledged_at,acknowledged_by,acknowledge_comment,resolved_at,refires\n");
        foreach (var e in entries)
        {
            sb.AppendJoin(',',
                Cell(e.Id), Cell(e.RuleId), Cell(e.Name), Cell(e.Severity), Cell(e.Queue), Instant(e.FiredAtMs),
                e.Value?.ToString(CultureInfo.InvariantCulture) ?? "", Instant(e.AcknowledgedAtMs), Cell(e.AcknowledgedBy), Cell(e.AcknowledgeComment),
                Instant(e.ResolvedAtMs), e.Refires.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.ToString();
    }

    private static string Instant(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v).ToString("O", CultureInfo.InvariantCulture) : "";

    // Every text field quoted and defused (the one rule every spreadsheet export follows): rule ids and queues
    // come from editable files too, so a spreadsheet never evaluates any of them.
    private static string Cell(string? value) =>
        string.IsNullOrEmpty(value) ? "" : "\"" + Sources.Ingestion.SpreadsheetText.ForExport(value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>Pushes open alerts to each board that shows an affected queue (global alerts to every board).</summary>
internal sealed class SignalRAlertBroadcaster(BoardCatalog boards, IHubContext<DashboardHub, IDashboardClient> hub) : IAlertBroadcaster
{
    public async Task BroadcastAsync(IReadOnlyList<AlertIncident> open, IReadOnlyList<AlertEvent> changes, CancellationToken cancellationToken)
    {
        var views = open.Select(AlertView.From).ToList();
        foreach (var board in boards.All)
        {
            await hub.Clients.Group(DashboardHub.GroupOf(board.Id)).AlertsChanged(ForBoard(board, views).ToList()).ConfigureAwait(false);
        }
    }

    public static IEnumerable<AlertView> ForBoard(BoardDefinition? board, IEnumerable<AlertView> alerts)
    {
        if (board is null)
        {
            return [];
        }

        var queues = board.Tiles.Select(t => t.Queue).ToHashSet(StringComparer.Ordinal);
        return alerts.Where(a => a.Queue is null || queues.Contains(a.Queue));
    }
}

/// <summary>
/// Evaluates the rules on a timer too, so conditions that show as silence (no data) are noticed, and takes over
/// notifications another instance decided but did not finish.
/// </summary>
internal sealed class AlertTimer(AlertMonitor monitor, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertTimer> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Periodic.RunAsync(
        options.Value.EvaluateEvery, time, TickAsync, ex => logger.LogError(ex, "Alert evaluation failed"), stoppingToken);

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        await monitor.EvaluateAsync(cancellationToken).ConfigureAwait(false);
        // On every instance: whichever claims an overdue notification first sends it.
        await monitor.ResendOverdueAsync(cancellationToken).ConfigureAwait(false);
    }
}
