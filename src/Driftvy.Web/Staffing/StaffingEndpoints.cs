using System.Globalization;
using System.Text.Json.Serialization;
using Driftvy.Domain.Staffing;
using Driftvy.Web.Security;

namespace Driftvy.Web.Staffing;

/// <summary>The agents a workload needs under Erlang C, and what they achieve.</summary>
/// <param name="Agents">Agents answering calls.</param>
/// <param name="ScheduledAgents">Agents to schedule once shrinkage is allowed for.</param>
/// <param name="ServiceLevel">Share answered within <c>seconds</c> (a fraction, unrounded); null without <c>seconds</c>.</param>
/// <param name="AsaSeconds">Average speed of answer over all callers, in seconds.</param>
/// <param name="Occupancy">Share of the agents' time on calls (a fraction).</param>
/// <param name="ProbabilityOfWaiting">Share of callers who wait at all (a fraction).</param>
public sealed record ErlangAnswer(
    [property: JsonPropertyName("agents")] int Agents,
    [property: JsonPropertyName("scheduled_agents")] int ScheduledAgents,
    [property: JsonPropertyName("service_level")] double? ServiceLevel,
    [property: JsonPropertyName("asa_seconds")] double AsaSeconds,
    [property: JsonPropertyName("occupancy")] double Occupancy,
    [property: JsonPropertyName("probability_of_waiting")] double ProbabilityOfWaiting);

/// <summary>
/// <c>GET /api/staffing/erlang</c>: a thin edge over <see cref="StaffingSolver"/>. Reads the query (interval as
/// <c>hh:mm:ss</c>; aht, seconds and asa in seconds; target, max_occupancy and shrinkage in percent), answers the
/// solver's figures, and turns impossible input into a 400 problem whose <c>code</c> names the problem.
/// <c>GET /api/staffing/queues/{id}</c>: a queue's live need, reforecast and projection; <c>…/week</c>: the same with
/// the week's need per day (<see cref="QueueStaffingService"/>).
/// </summary>
internal static class StaffingEndpoints
{
    public static IEndpointRouteBuilder MapStaffing(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/staffing").RequireAuthorization(Policies.Viewer);
        api.MapGet("/erlang", (HttpRequest request) =>
        {
            try
            {
                var (workload, goal) = Read(request.Query);
                var need = StaffingSolver.Solve(workload, goal);
                return Results.Ok(new ErlangAnswer(need.Agents, need.ScheduledAgents, need.ServiceLevel, need.AsaSeconds, need.Occupancy, need.ProbabilityOfWaiting));
            }
            catch (StaffingInputException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Impossible staffing input",
                    extensions: new Dictionary<string, object?> { ["code"] = ex.Code });
            }
        });
        api.MapGet("/queues/{id}", async (string id, QueueStaffingService staffing, CancellationToken ct) =>
            await staffing.NeedAsync(id, ct) is { } need ? Results.Ok(need) : Results.NotFound());
        api.MapGet("/queues/{id}/week", async (string id, QueueStaffingService staffing, CancellationToken ct) =>
            await staffing.WeekAsync(id, ct) is { } week ? Results.Ok(week) : Results.NotFound());
        return app;
    }

    internal static (Workload Workload, StaffingGoal Goal) Read(IQueryCollection query)
    {
        var calls = Number(query, "calls") ?? throw Missing("calls");
        var interval = Interval(query) ?? throw Missing("interval");
        var aht = Number(query, "aht") ?? throw Missing("aht");
        var target = Number(query, "target");
        var seconds = Number(query, "seconds");
        var maxOccupancy = Number(query, "max_occupancy");
        var shrinkage = Number(query, "shrinkage");
        var asa = Number(query, "asa");
        if (target > 100)
        {
            throw new StaffingInputException("target_out_of_range", "target is a percentage and cannot be above 100");
        }

        var workload = new Workload(calls, interval, Seconds(aht, "aht"));
        var goal = new StaffingGoal(
            target / 100, seconds is { } s ? Seconds(s, "seconds") : null, asa is { } a ? Seconds(a, "asa") : null,
            (maxOccupancy ?? 100) / 100, (shrinkage ?? 0) / 100);
        return (workload, goal);
    }

    private static double? Number(IQueryCollection query, string name)
    {
        var text = query[name].ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new StaffingInputException($"{name}_not_a_number", $"{name} must be a number written with a decimal point, e.g. 12.5");
    }

    private static TimeSpan? Interval(IQueryCollection query)
    {
        var text = query["interval"].ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return TimeSpan.TryParseExact(text, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var interval)
            ? interval
            : throw new StaffingInputException("interval_not_a_time", "interval must be written hh:mm:ss, e.g. 00:30:00");
    }

    private static TimeSpan Seconds(double seconds, string name) =>
        seconds < 0
            ? throw new StaffingInputException($"{name}_negative", $"{name} must be zero seconds or more")
            : seconds > TimeSpan.FromDays(1).TotalSeconds
                ? throw new StaffingInputException($"{name}_too_long", $"{name} must be at most a day, in seconds")
                : TimeSpan.FromSeconds(seconds);

    private static StaffingInputException Missing(string name) => new($"{name}_missing", $"{name} is required");
}
