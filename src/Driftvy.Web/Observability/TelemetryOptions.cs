using Driftvy.Web.Infrastructure;

namespace Driftvy.Web.Observability;

/// <summary>Metrics, traces and the scrape endpoint (section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Shortest metrics key accepted: a guessable key would open the endpoint to anyone.</summary>
    public const int MinimumKeyLength = 24;

    /// <summary>
    /// Secret a scraper presents as <c>Authorization: Metrics …</c> to read <c>/metrics</c> (an admin session also may);
    /// empty: admins only. <c>env:NAME</c> reads it from an environment variable.
    /// </summary>
    public string MetricsKey { get; set; } = "";

    /// <summary>How often the fold lag is sampled (one read of the facts and the aggregates' watermark).</summary>
    public TimeSpan FoldLagEvery { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The service name every metric and span carries (<c>service.name</c>).</summary>
    public string ServiceName { get; set; } = "driftvy";

    public OtlpOptions Otlp { get; set; } = new();

    /// <summary>The metrics key as configured or read from its environment variable; empty when none.</summary>
    public string ResolvedMetricsKey() =>
        ConfiguredSecret.Resolve(MetricsKey) ?? "";

    public static bool IsValid(TelemetryOptions o) =>
        o is not null
        && o.FoldLagEvery >= TimeSpan.FromSeconds(1) && o.FoldLagEvery <= TimeSpan.FromMinutes(10)
        && !string.IsNullOrWhiteSpace(o.ServiceName)
        && (o.ResolvedMetricsKey() is var key && (key.Length == 0 || key.Length >= MinimumKeyLength))
        && (string.IsNullOrEmpty(o.Otlp.Endpoint) || (Uri.TryCreate(o.Otlp.Endpoint, UriKind.Absolute, out var otlp) && otlp.Scheme is "http" or "https"))
        && o.Otlp.Protocol is "grpc" or "http/protobuf";
}

/// <summary>OTLP export (section <c>Telemetry:Otlp</c>): off while <see cref="Endpoint"/> is empty.</summary>
public sealed class OtlpOptions
{
    /// <summary>The collector's address, e.g. <c>http://otel-collector:4317</c>; empty: no OTLP export.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318, paths /v1/metrics and /v1/traces appended).</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>Whether traces are exported too (metrics always are once an endpoint is set).</summary>
    public bool Traces { get; set; } = true;
}
