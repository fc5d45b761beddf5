using Driftvy.Web.Dashboard.Boards;
using Driftvy.Web.Security;
using System.Globalization;
using Driftvy.Domain.Calendar;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Driftvy.Web.Steering;

/// <summary>Registers and maps the daily steering view, annotations and the call-back list.</summary>
internal static class SteeringSetup
{
    public static void AddSteeringServices(this WebApplicationBuilder builder)
    {
        // The import stores replace this binding; until then back-office rows stay empty.
        builder.Services.TryAddSingleton<IBackOfficeFacts, EmptyBackOfficeFacts>();
        builder.Services.AddSingleton<AnnotationService>();
        builder.Services.AddSingleton<SteeringService>();
        builder.Services.AddSingleton<CallbackService>();
    }

    public static void MapSteering(this WebApplication app)
    {
        var page = app.Environment.WebRootFileProvider.GetFileInfo("steering.html");
        app.MapGet("/steering", () => page.Exists && page.PhysicalPath is { } path ? Results.File(path, "text/html; charset=utf-8") : Results.NotFound())
            .AllowAnonymous();

        var api = app.MapGroup("/api");
        api.MapGet("/steering", async (string? date, SteeringService steering, TimeProvider time, CancellationToken ct) =>
        {
            if (!TryDate(date, StockholmTime.LocalDate(time.GetUtcNow()), out var day))
            {
                return Results.Problem("date must be written yyyy-MM-dd", statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Ok(await steering.BuildAsync(day, ct));
        }).RequireAuthorization(Policies.Viewer);

        api.MapPost("/annotations", async (NewAnnotation note, AnnotationService annotations, CancellationToken ct) =>
        {
            try
            {
                var added = await annotations.AddAsync(note, ct);
                return Results.Created($"/api/annotations/{added.Id}", added);
            }
            catch (ArgumentException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        }).RequireAuthorization(Policies.TeamLeader);
        api.MapGet("/annotations", async (
            string? from, string? to, string? subject, System.Security.Claims.ClaimsPrincipal user, AnnotationService annotations, BoardCatalog boards, Kpis.KpiSetup kpis,
            TimeProvider time, CancellationToken ct) =>
        {
            var today = StockholmTime.LocalDate(time.GetUtcNow());
            if (!TryDate(from, today.AddDays(-30), out var f) || !TryDate(to, today, out var t) || t < f)
            {
                return Results.Problem("from and to must be written yyyy-MM-dd, from ≤ to", statusCode: StatusCodes.Status400BadRequest);
            }

            var notes = await annotations.ListAsync(f, t.AddDays(1), string.IsNullOrWhiteSpace(subject) ? null : subject, ct);
            if (BoardAccess.OnlyBoard(user) is { } board)
            {
                // A display token reads the notes its board's tiles show: for everyone, or for a tile's queue or team.
                var subjects = SubjectsOf(boards.Find(board), kpis);
                notes = [.. notes.Where(n => n.Subject is null || subjects.Contains(n.Subject))];
            }

            return Results.Ok(notes);
        }).RequireAuthorization(Policies.ViewBoards);
        // Call-back lists (masked numbers) are for team leaders.
        api.MapGet("/callbacks", async (string? queue, CallbackService callbacks, CancellationToken ct) =>
            await callbacks.TodayAsync(string.IsNullOrWhiteSpace(queue) ? null : queue, ct))
            .RequireAuthorization(Policies.TeamLeader);
    }

    /// <summary>The queues and teams a board's tiles show notes for (a queue tile also its queue's team's), as the snapshot does.</summary>
    private static HashSet<string> SubjectsOf(BoardDefinition? board, Kpis.KpiSetup kpis)
    {
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tile in board?.Tiles ?? [])
        {
            if (tile.Queue is { } queue)
            {
                subjects.Add(queue);
                if (kpis.Organisation.Queue(queue)?.Team is { } team)
                {
                    subjects.Add(team);
                }
            }

            if (tile.Team is { } own)
            {
                subjects.Add(own);
            }
        }

        return subjects;
    }

    private static bool TryDate(string? text, DateOnly fallback, out DateOnly date)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            date = fallback;
            return true;
        }

        // The view compares with the same days a year earlier; at the calendar's edges that arithmetic leaves it.
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) &&
               date.Year is >= 1900 and <= 2999;
    }
}
