using System.Text.Json;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Security;
using Driftvy.Web.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Driftvy.Web.Health;

/// <summary>
/// Health on ASP.NET Core's health-check framework. <c>/health</c> answers with Driftvy's own report (source ages,
/// store state, "behind", rebuilding: <see cref="HealthReporter"/>) as before; <c>/health/live</c> runs no check (the
/// process answers); <c>/health/ready</c> runs the checks tagged <see cref="ReadyTag"/>: the fact database answers and the
/// aggregates are not rebuilding, plus Redis and PostgreSQL through their own checks when they are configured.
/// </summary>
internal static class HealthChecks
{
    public const string ReadyTag = "ready";
    public const string ReportCheck = "driftvy";

    public static WebApplicationBuilder AddDriftvyHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HealthReporter>();
        var checks = builder.Services.AddHealthChecks()
            .AddCheck<ReportHealthCheck>(ReportCheck)
            .AddCheck<ReadinessCheck>("facts-and-aggregates", tags: [ReadyTag]);
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Redis")))
        {
            checks.AddRedis(sp => sp.GetRequiredService<IConnectionMultiplexer>(), name: "redis", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
        }

        if (builder.Configuration.GetConnectionString("Postgres") is { Length: > 0 } postgres)
        {
            checks.AddNpgSql(postgres, name: "postgresql", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
        }

        return builder;
    }

    public static WebApplication MapDriftvyHealth(this WebApplication app)
    {
        // Health is for load balancers and operators: anyone gets states, ages and counts; the error texts (which
        // can quote the data that caused them) only an admin.
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = c => c.Name == ReportCheck,
            ResultStatusCodes = StatusCodes(),
            ResponseWriter = WriteReportAsync,
        }).WithMetadata(new HttpMethodMetadata(["GET"])).AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (ctx, _) => ctx.Response.WriteAsJsonAsync(new { Status = "alive" }, Json(ctx)),
        }).WithMetadata(new HttpMethodMetadata(["GET"])).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResultStatusCodes = StatusCodes(),
            ResponseWriter = WriteReadinessAsync,
        }).WithMetadata(new HttpMethodMetadata(["GET"])).AllowAnonymous();
        return app;
    }

    private static Dictionary<HealthStatus, int> StatusCodes() => new()
    {
        [HealthStatus.Healthy] = Microsoft.AspNetCore.Http.StatusCodes.Status200OK,
        [HealthStatus.Degraded] = Microsoft.AspNetCore.Http.StatusCodes.Status200OK,
        [HealthStatus.Unhealthy] = Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable,
    };

    private static JsonSerializerOptions Json(HttpContext ctx) => ctx.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    private static Task WriteReportAsync(HttpContext ctx, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport result)
    {
        if (!result.Entries.TryGetValue(ReportCheck, out var entry) || entry.Data.GetValueOrDefault(ReportHealthCheck.DataKey) is not HealthReport report)
        {
            // The check itself threw (it catches what it expects): say unhealthy, without the exception's text.
            ctx.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable;
            return ctx.Response.WriteAsJsonAsync(new { Status = "unhealthy" }, Json(ctx));
        }

        return ctx.Response.WriteAsJsonAsync(ctx.User.IsInRole(Roles.Admin) ? report : report.WithoutDetails(), Json(ctx));
    }

    /// <summary>States and durations per check; an error's description only for an admin.</summary>
    private static Task WriteReadinessAsync(HttpContext ctx, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport result)
    {
        var admin = ctx.User.IsInRole(Roles.Admin);
        return ctx.Response.WriteAsJsonAsync(
            new ReadinessReport(
                Lower(result.Status),
                [.. result.Entries.Select(e => new ReadinessCheckReport(e.Key, Lower(e.Value.Status), Math.Round(e.Value.Duration.TotalMilliseconds, 1), admin ? HealthText.Bound(e.Value.Description ?? e.Value.Exception?.Message) : null))]),
            Json(ctx));
    }

    private static string Lower(HealthStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>The answer of <c>/health/ready</c>.</summary>
/// <param name="Status"><c>healthy</c> (ready for traffic) or <c>unhealthy</c> (503).</param>
/// <param name="Checks">Each readiness check.</param>
public sealed record ReadinessReport(string Status, IReadOnlyList<ReadinessCheckReport> Checks);

/// <param name="Name"><c>facts-and-aggregates</c>, <c>redis</c> or <c>postgresql</c>.</param>
/// <param name="Status"><c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>.</param>
/// <param name="DurationMs">How long the check took.</param>
/// <param name="Error">Why it failed: for admins only.</param>
public sealed record ReadinessCheckReport(string Name, string Status, double DurationMs, string? Error);

/// <summary>Driftvy's own report as a health check: its status is the report's, the report travels in the result's data.</summary>
internal sealed class ReportHealthCheck(HealthReporter reporter) : IHealthCheck
{
    public const string DataKey = "report";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await reporter.CheckAsync(cancellationToken).ConfigureAwait(false);
        var status = report.Status switch
        {
            "healthy" => HealthStatus.Healthy,
            "degraded" => HealthStatus.Degraded,
            _ => HealthStatus.Unhealthy,
        };
        return new HealthCheckResult(status, data: new Dictionary<string, object> { [DataKey] = report });
    }
}

/// <summary>Ready for traffic: the fact database answers and the aggregates are not being rebuilt from the facts.</summary>
internal sealed class ReadinessCheck(IContactFactStore facts, AggregateStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await facts.MaxSeqAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the fact database does not answer: " + ex.Message);
        }

        return status.State == AggregateState.Rebuilding
            ? HealthCheckResult.Unhealthy("the aggregates are being rebuilt from the facts")
            : HealthCheckResult.Healthy();
    }
}
