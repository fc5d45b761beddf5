using System.Security.Cryptography;
using System.Text;
using Driftvy.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Driftvy.Web.Observability;

/// <summary>
/// Metrics and traces with OpenTelemetry: Driftvy's own meter (<see cref="DriftvyMetrics"/>) and spans
/// (<see cref="DriftvyTracing"/>) beside the ASP.NET Core,
/// HttpClient, runtime, EF Core and Redis instrumentation; a Prometheus scrape endpoint (<c>/metrics</c>, for an admin
/// or a scraper holding the metrics key) and OTLP export when an endpoint is configured.
/// </summary>
internal static class ObservabilityServices
{
    public const string MetricsPath = "/metrics";
    public const string MetricsPolicy = "metrics";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName)
            .Validate(TelemetryOptions.IsValid,
                $"Telemetry: MetricsKey empty or at least {TelemetryOptions.MinimumKeyLength} characters (env:NAME must name a set variable), FoldLagEvery between 00:00:01 and 00:10:00, " +
                "ServiceName set, Otlp:Endpoint an http(s) address or empty, Otlp:Protocol grpc or http/protobuf.")
            .ValidateOnStart();
        var telemetry = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();

        builder.Services.AddSingleton<ScreenCount>();
        builder.Services.AddSingleton<FoldLag>();
        builder.Services.AddHostedService<FoldLagSampler>();
        builder.Services.AddSingleton<DriftvyMetrics>();
        builder.Services.AddSingleton<Sources.Ingestion.IImportObserver, ImportMetrics>();
        builder.Services.AddApiDescription();

        builder.Services.AddAuthorizationBuilder().AddPolicy(MetricsPolicy, p => p.AddRequirements(new MetricsRequirement()));
        builder.Services.AddSingleton<IAuthorizationHandler, MetricsKeyHandler>();

        // Console logs in JSON (Logging:Console:FormatterName=json) carry the scopes: the trace and span ids of the
        // request or job that wrote them, so a log line can be found from a trace and back.
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat ??= "yyyy-MM-ddTHH:mm:ss.fffZ";
        });

        var redis = !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Redis"));
        var otlp = string.IsNullOrEmpty(telemetry.Otlp.Endpoint) ? null : telemetry.Otlp;
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(telemetry.ServiceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(m =>
            {
                m.AddMeter(DriftvyMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp is not null)
                {
                    m.AddOtlpExporter(o => Configure(o, otlp, "/v1/metrics"));
                }
            });
        otel.WithTracing(t =>
        {
            t.AddSource(DriftvyTracing.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments(MetricsPath, StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation();
            if (redis)
            {
                // The multiplexer registered in the container (Aggregates) is the one instrumented.
                t.AddRedisInstrumentation();
            }

            if (otlp is { Traces: true })
            {
                t.AddOtlpExporter(o => Configure(o, otlp, "/v1/traces"));
            }
        });
        return builder;
    }

    /// <summary>The Prometheus scrape endpoint: an admin session or the metrics key (<c>Authorization: Metrics …</c>).</summary>
    public static WebApplication MapObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(MetricsPolicy);
        app.MapApiDescription();
        return app;
    }

    private static void Configure(OtlpExporterOptions o, OtlpOptions otlp, string httpPath)
    {
        var grpc = otlp.Protocol == "grpc";
        o.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        // With http/protobuf the exporter takes the endpoint as the full signal address.
        o.Endpoint = grpc ? new Uri(otlp.Endpoint) : new Uri(new Uri(otlp.Endpoint), httpPath);
    }
}

/// <summary>Reading the metrics: an admin, or a request that presents the metrics key.</summary>
internal sealed class MetricsRequirement : IAuthorizationRequirement;

/// <summary>
/// The metrics key is a configured secret, not a push API key: API keys belong to a data source and are stored in the
/// database, while a scraper is set up by deployment beside Prometheus (its <c>credentials_file</c>) before any admin
/// has signed in, and must not be able to write data. It comes with its own authorization type
/// (<c>Authorization: Metrics …</c>, Prometheus's <c>authorization.type</c>), not as a bearer token, which the push API
/// and an external identity provider already claim: a scrape never costs an API-key lookup or a failed-sign-in log line.
/// It is compared in constant time.
/// </summary>
internal sealed class MetricsKeyHandler(IOptionsMonitor<TelemetryOptions> options) : AuthorizationHandler<MetricsRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MetricsRequirement requirement)
    {
        if (context.User.IsInRole(Roles.Admin) || (context.Resource is HttpContext http && Presents(http.Request, options.CurrentValue.ResolvedMetricsKey())))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    /// <summary>The authorization type a scraper presents the key with: <c>Authorization: Metrics …</c>.</summary>
    public const string AuthorizationType = "Metrics";

    internal static bool Presents(HttpRequest request, string key)
    {
        var auth = request.Headers.Authorization.ToString();
        if (key.Length == 0 || !auth.StartsWith(AuthorizationType + " ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashes of equal length, so neither the comparison nor its length check tells how much of the key was right.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(auth[(AuthorizationType.Length + 1)..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }
}

/// <summary>Counts every import's rows as it ends, whichever way it came (push, drop folder, HTTP poll, command line).</summary>
internal sealed class ImportMetrics(DriftvyMetrics metrics) : Sources.Ingestion.IImportObserver
{
    public Task ImportFinishedAsync(Sources.Ingestion.ImportRequest request, Sources.Ingestion.ImportResult result, CancellationToken cancellationToken)
    {
        metrics.Imported(request, result);
        return Task.CompletedTask;
    }
}
