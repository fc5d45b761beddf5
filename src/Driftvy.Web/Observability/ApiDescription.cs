using System.Reflection;
using System.Text.Json.Nodes;
using Driftvy.Web.Admin;
using Driftvy.Web.Alerts;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Dashboard.Display;
using Driftvy.Web.History;
using Driftvy.Web.Health;
using Driftvy.Web.Reports;
using Driftvy.Web.Security;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Sources.Ingestion.Api;
using Driftvy.Web.Sources.Ingestion.Formats;
using Driftvy.Web.Staffing;
using Driftvy.Web.Steering;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Driftvy.Web.Observability;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) and its interactive reference (<c>/api/docs</c>). Besides what the
/// framework infers from the endpoints, it says who may call each operation (security and <c>x-driftvy-access</c>),
/// the problem answers (401, 403, 429), the push API's bodies per kind in CSV and JSON, the contracts of endpoints that
/// answer with untyped results, the scrape endpoint, and the wall-screen hub's messages (<c>x-signalr-hubs</c>), so a
/// client can generate its wire types from this one document.
/// </summary>
internal static class ApiDescription
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/api/docs";

    private const string Session = "session";
    private const string Bearer = "bearer";
    private const string DisplayToken = "displayToken";
    private const string ApiKey = "apiKey";
    private const string MetricsKey = "metricsKey";

    /// <summary>
    /// Answers whose handlers return untyped results (<see cref="IResult"/>): their status and body, named here so the
    /// document carries them. A body of null is an answer without one (204).
    /// </summary>
    private static readonly Dictionary<string, (int Status, Type? Body)> Answers = new(StringComparer.Ordinal)
    {
        ["GET /api/boards/{id}/snapshot"] = (200, typeof(BoardSnapshot)),
        ["POST /api/ingest/{kind}"] = (200, typeof(IngestResponse)),
        ["GET /api/alerts/"] = (200, typeof(IReadOnlyList<AlertView>)),
        ["POST /api/alerts/{id}/acknowledge"] = (200, typeof(AlertView)),
        ["GET /api/alerts/log"] = (200, typeof(IReadOnlyList<AlertLogEntry>)),
        ["GET /auth/antiforgery"] = (200, typeof(AntiforgeryToken)),
        ["POST /auth/login"] = (200, typeof(SignedIn)),
        ["POST /auth/logout"] = (204, null),
        ["POST /api/admin/users"] = (201, typeof(CreatedUser)),
        ["PUT /api/admin/users/{id}/password"] = (204, null),
        ["PUT /api/admin/users/{id}/role"] = (204, null),
        ["PUT /api/admin/users/{id}/disabled"] = (204, null),
        ["POST /api/admin/display-tokens/"] = (201, typeof(CreatedDisplayToken)),
        ["DELETE /api/admin/display-tokens/{id}"] = (204, null),
        ["POST /api/admin/api-keys/"] = (201, typeof(CreatedApiKey)),
        ["DELETE /api/admin/api-keys/{id}"] = (204, null),
        ["GET /api/steering"] = (200, typeof(SteeringView)),
        ["POST /api/annotations"] = (201, typeof(AnnotationView)),
        ["GET /api/annotations"] = (200, typeof(IReadOnlyList<AnnotationView>)),
        ["GET /api/aggregates/teams/{id}"] = (200, typeof(IReadOnlyList<WindowFigures>)),
        ["GET /api/history/channels"] = (200, typeof(IReadOnlyList<ChannelFigures>)),
        ["GET /api/admin/history/verify"] = (200, typeof(HistoryCheck)),
        ["GET /api/staffing/erlang"] = (200, typeof(ErlangAnswer)),
        ["GET /api/staffing/queues/{id}"] = (200, typeof(QueueStaffingNeed)),
        ["GET /api/staffing/queues/{id}/week"] = (200, typeof(WeekNeedView)),
        ["GET /api/reports/tertial/{year}/{period}/changes"] = (200, typeof(ReportChanges)),
        ["POST /api/reports/tertial/{year}/{period}/fix"] = (200, typeof(ReportFixAnswer)),
        ["PUT /api/admin/targets"] = (200, typeof(AdminSettingSaved)),
        ["DELETE /api/admin/targets/{kpiId}/{year}"] = (200, typeof(RestoredTarget)),
        ["POST /api/admin/kpi-parameters"] = (200, typeof(AdminSettingSaved)),
        ["DELETE /api/admin/kpi-parameters/{kpiId}/{effectiveFrom}"] = (204, null),
        ["PUT /api/admin/staffing"] = (200, typeof(StaffingEditResult)),
        ["GET /api/admin/boards/{id}"] = (200, typeof(AdminBoardDocument)),
        ["PUT /api/admin/boards/{id}"] = (200, typeof(AdminSettingSaved)),
        ["DELETE /api/admin/boards/{id}"] = (204, null),
        ["PUT /api/admin/alert-rules"] = (200, typeof(AdminSettingSaved)),
        ["DELETE /api/admin/alert-rules"] = (204, null),
    };

    public static IServiceCollection AddApiDescription(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer(DescribeDocumentAsync);
            o.AddOperationTransformer(DescribeOperationAsync);
            o.AddSchemaTransformer(NumbersAsNumbers);
        });

    public static WebApplication MapApiDescription(this WebApplication app)
    {
        // Both describe the API's shape, which the README publishes too; neither holds data. Integration teams and the
        // front-end build read them without signing in.
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, o => o
                .WithTitle("Driftvy API")
                // Its default fonts come from the vendor's CDN, which the content security policy (rightly) refuses.
                .DisableDefaultFonts()
                .WithOpenApiRoutePattern(DocumentPath))
            .AllowAnonymous();
        // The reference page starts itself with an inline script and styles: on its path alone the policy allows them.
        app.Use((ctx, next) =>
        {
            if (ctx.Request.Path.StartsWithSegments(ReferencePath, StringComparison.OrdinalIgnoreCase))
            {
                ctx.Response.OnStarting(() =>
                {
                    ctx.Response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
                        "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
                    return Task.CompletedTask;
                });
            }

            return next();
        });
        return app;
    }

    private static async Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Driftvy",
            Version = DocumentName,
            Description = "Operations dashboard of a city's shared-service administration: boards and their snapshots, alerts, "
                + "reports, the push API for source systems (POST /api/ingest/{kind}) and administration. "
                + "Each operation names who may call it in x-driftvy-access; the wall-screen hub's messages are in x-signalr-hubs.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Session] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "driftvy.auth",
            Description = "Signed-in session (POST /auth/login). State changes also need the antiforgery token in X-CSRF-TOKEN (GET /auth/antiforgery).",
        };
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
            Description = "A token from the city's identity provider, when Security:Jwt:Authority is configured; its groups map to roles.",
        };
        document.Components.SecuritySchemes[DisplayToken] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Display-Token",
            Description = "A wall screen's display token (also ?token=): reads its own board only.",
        };
        document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = IngestApi.KeyHeader,
            Description = "A source's push API key (driftvy apikey create, or /api/admin/api-keys); also as Authorization: Bearer.",
        };
        document.Components.SecuritySchemes[MetricsKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "Authorization",
            Description = "Authorization: Metrics <Telemetry:MetricsKey>, for a Prometheus scraper.",
        };

        if (document.Components.Schemas?.ContainsKey(nameof(ProblemDetails)) != true)
        {
            document.AddComponent(nameof(ProblemDetails), await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken).ConfigureAwait(false));
        }

        foreach (var kind in Enum.GetValues<IngestKind>())
        {
            document.AddComponent(IngestSchemaId(kind), IngestRecordSchema(kind));
        }

        await AddHubAsync(document, context, cancellationToken).ConfigureAwait(false);
        AddMetricsPath(document);
        await AddHealthPathsAsync(document, context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The hub's messages both ways, from <see cref="IDashboardClient"/> and the hub's methods, with their payload schemas.</summary>
    private static async Task AddHubAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var toClient = new JsonObject();
        foreach (var method in typeof(IDashboardClient).GetMethods())
        {
            var arguments = new JsonArray();
            foreach (var parameter in method.GetParameters())
            {
                arguments.Add(await SchemaNodeAsync(document, context, parameter.ParameterType, cancellationToken).ConfigureAwait(false));
            }

            toClient[method.Name] = new JsonObject { ["arguments"] = arguments };
        }

        var toServer = new JsonObject();
        foreach (var method in typeof(DashboardHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                     .Where(m => m.GetBaseDefinition().DeclaringType == m.DeclaringType))
        {
            var returns = method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : null;
            toServer[method.Name] = new JsonObject
            {
                ["arguments"] = new JsonArray([.. method.GetParameters().Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["type"] = "string" })]),
                ["returns"] = returns is null ? null : await SchemaNodeAsync(document, context, returns, cancellationToken).ConfigureAwait(false),
            };
        }

        document.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        document.Extensions["x-signalr-hubs"] = new JsonNodeExtension(new JsonObject
        {
            [DashboardHub.Path] = new JsonObject
            {
                ["description"] = "Wall screens (SignalR, JSON protocol, WebSockets without negotiation). Access as GET /api/boards/{id}/snapshot; "
                    + "after the snapshot JoinBoard returns, pushes are whole (BoardUpdated) or only what changed since the push before (BoardChanged, "
                    + "applied on top of that push only; otherwise Snapshot fetches the board whole again); "
                    + "refusals are HubException messages carrying a code (board-not-allowed, unknown-board, display-token-refused, display-token-other-board).",
                ["serverToClient"] = toClient,
                ["clientToServer"] = toServer,
            },
        });
    }

    /// <summary>A $ref to the type's schema, registered under its name in the components (arrays as arrays of such refs).</summary>
    private static async Task<JsonNode> SchemaNodeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, Type type, CancellationToken cancellationToken)
    {
        var element = type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
        var named = element ?? type;
        await ComponentAsync(document, named, t => context.GetOrCreateSchemaAsync(t, null, cancellationToken)).ConfigureAwait(false);
        var reference = new JsonObject { ["$ref"] = "#/components/schemas/" + named.Name };
        return element is null ? reference : new JsonObject { ["type"] = "array", ["items"] = reference };
    }

    /// <summary>
    /// The type's schema registered under its name among the components, and a reference to it (a list: an array of
    /// references), so every answer that carries it names the one contract a client generates a type for.
    /// </summary>
    private static async Task<IOpenApiSchema> ComponentAsync(OpenApiDocument document, Type type, Func<Type, Task<OpenApiSchema>> create)
    {
        var element = type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
        var named = element ?? type;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(named.Name))
        {
            document.AddComponent(named.Name, await create(named).ConfigureAwait(false));
        }

        var reference = new OpenApiSchemaReference(named.Name, document);
        return element is null ? reference : new OpenApiSchema { Type = JsonSchemaType.Array, Items = reference };
    }

    /// <summary>The health endpoints (health-check framework endpoints, which the framework does not describe).</summary>
    private static async Task AddHealthPathsAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        OpenApiOperation Operation(string summary, IOpenApiSchema schema, bool unavailable) => new()
        {
            Summary = summary,
            Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "OK", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } } },
            }.Also(r =>
            {
                if (unavailable)
                {
                    r["503"] = new OpenApiResponse { Description = "Unhealthy (same body).", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } } };
                }
            }),
            Extensions = new Dictionary<string, IOpenApiExtension> { ["x-driftvy-access"] = new JsonNodeExtension(JsonValue.Create("anonymous (error texts for admins only)")) },
        };
        Task<OpenApiSchema> Create(Type t) => context.GetOrCreateSchemaAsync(t, null, cancellationToken);
        var report = await ComponentAsync(document, typeof(HealthReport), Create).ConfigureAwait(false);
        var ready = await ComponentAsync(document, typeof(ReadinessReport), Create).ConfigureAwait(false);
        var alive = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema> { ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = "alive" } } };
        document.Paths ??= [];
        document.Paths["/health"] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = Operation("Sources, stores and aggregates: healthy, degraded or unhealthy (503)", report, unavailable: true) } };
        document.Paths["/health/live"] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = Operation("The process answers (no checks run)", alive, unavailable: false) } };
        document.Paths["/health/ready"] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = Operation("Ready for traffic: database, aggregates not rebuilding, Redis and PostgreSQL when configured (503 when not)", ready, unavailable: true) } };
    }

    private static T Also<T>(this T value, Action<T> change)
    {
        change(value);
        return value;
    }

    private static void AddMetricsPath(OpenApiDocument document)
    {
        var operation = new OpenApiOperation
        {
            Summary = "Prometheus scrape (text exposition format): Driftvy's driftvy_* series and the framework's",
            Description = "For an admin session or a scraper presenting the metrics key. See the README's metrics table.",
            Tags = new HashSet<OpenApiTagReference> { new("Observability", document) },
            Security = [Requirement(document, Session), Requirement(document, MetricsKey)],
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "The current values of every instrument on this instance.",
                    Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                },
                ["401"] = Problem("No session and no (or a wrong) metrics key."),
                ["403"] = Problem("Signed in, but not as an admin."),
            },
            Extensions = new Dictionary<string, IOpenApiExtension> { ["x-driftvy-access"] = new JsonNodeExtension(JsonValue.Create("admin or metrics key")) },
        };
        document.Paths ??= [];
        document.Paths[ObservabilityServices.MetricsPath] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } };
    }

    /// <summary>
    /// Numbers are written as numbers. The HTTP API would also read one from a string ("5"), which the framework
    /// describes as <c>number | string</c> with a pattern; the contract a client should hold to (and the hub's JSON,
    /// which reads no strings as numbers) is the number alone.
    /// </summary>
    private static Task NumbersAsNumbers(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type.HasFlag(JsonSchemaType.Number) || type.HasFlag(JsonSchemaType.Integer)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>The part of the API an operation belongs to, from its path: what a reader looks for first.</summary>
    private static string TagOf(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries) switch
    {
        ["api", "admin", ..] => "Administration",
        ["api", "ingest", ..] => "Push API",
        ["api", "boards" or "display" or "config", ..] => "Boards",
        ["api", "alerts", ..] => "Alerts",
        ["api", "reports", ..] => "Reports",
        ["api", "steering" or "annotations" or "callbacks", ..] => "Steering",
        ["api", "kpis" or "targets", ..] => "KPIs and targets",
        ["api", "aggregates" or "history" or "staffing", ..] => "Figures",
        ["auth", ..] => "Sign-in",
        ["health", ..] => "Health",
        _ => "Pages",
    };

    private static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var key = $"{description.HttpMethod} /{description.RelativePath}";
        var route = description.ActionDescriptor.AttributeRouteInfo?.Template is { } template ? $"{description.HttpMethod} /{template}" : key;
        var document = context.Document!;
        operation.Responses ??= [];
        operation.Tags = new HashSet<OpenApiTagReference> { new(TagOf(description.RelativePath ?? ""), document) };

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy ?? "").Distinct(StringComparer.Ordinal).ToList();
        var ingest = key.StartsWith("POST /api/ingest/", StringComparison.Ordinal);
        string access;
        if (ingest)
        {
            access = "source API key";
            operation.Security = [Requirement(document, ApiKey)];
        }
        else if (anonymous)
        {
            access = "anonymous";
            operation.Security = [];
        }
        else
        {
            var policy = policies.FirstOrDefault(p => p.Length > 0);
            access = policy switch
            {
                Policies.Admin => "admin",
                Policies.TeamLeader => "team leader or admin",
                Policies.Viewer => "any signed-in role (viewer, team leader, admin)",
                Policies.ViewBoards => "any signed-in role, or a display token for its own board",
                _ => "any signed-in identity",
            };
            operation.Security = policy == Policies.ViewBoards
                ? [Requirement(document, Session), Requirement(document, Bearer), Requirement(document, DisplayToken)]
                : [Requirement(document, Session), Requirement(document, Bearer)];
            operation.Responses.TryAdd("401", Problem("Not signed in (or the session ended)."));
            operation.Responses.TryAdd("403", Problem("Signed in, but this role (or display token) may not do this."));
        }

        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-driftvy-access"] = new JsonNodeExtension(JsonValue.Create(access));
        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Too many requests: wait a minute (Security:*PerMinute)." });
        }

        foreach (var answer in new[] { key, route }.Distinct(StringComparer.Ordinal))
        {
            if (Answers.TryGetValue(NormalizeRoute(answer), out var answerOf))
            {
                var ok = operation.Responses.TryGetValue("200", out var existing) && existing is OpenApiResponse r ? r : new OpenApiResponse { Description = "OK" };
                if (answerOf.Status != StatusCodes.Status200OK)
                {
                    // An untyped handler is listed as 200 without a body; this one answers otherwise.
                    operation.Responses.Remove("200");
                    ok.Description = answerOf.Status == StatusCodes.Status201Created ? "Created" : "Done; no body.";
                }

                if (answerOf.Body is { } type)
                {
                    var schema = await ComponentAsync(document, type, t => context.GetOrCreateSchemaAsync(t, null, cancellationToken)).ConfigureAwait(false);
                    ok.Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } };
                }

                operation.Responses[answerOf.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ok;
                break;
            }
        }

        if (ingest)
        {
            await DescribeIngestAsync(operation, context, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task DescribeIngestAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        operation.Summary = "Push records of one kind from a source system (all or nothing)";
        operation.Description = "The body is CSV (text/csv, a header line naming the columns, UTF-8) or JSON (application/json, an array of objects "
            + "whose properties are the same columns). The columns per kind are the Ingest… schemas below; see \"Data formats\" in the README. "
            + "Each request is validated whole: either every row is stored (duplicates recognised) or none, with every error named by line and column. "
            + "Limits: Ingestion:MaxPushBytes per body and Security:IngestPerMinute per key.";
        var kinds = Enum.GetValues<IngestKind>();
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV with a header line; the columns of the kind's Ingest… schema." } },
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Description = "An array of records of the path's kind.",
                        Items = new OpenApiSchema { OneOf = [.. kinds.Select(k => (IOpenApiSchema)new OpenApiSchemaReference(IngestSchemaId(k), document))] },
                    },
                },
            },
        };
        var response = await context.GetOrCreateSchemaAsync(typeof(IngestResponse), null, cancellationToken).ConfigureAwait(false);
        OpenApiResponse Answer(string text) => new() { Description = text, Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = response } } };
        OpenApiResponse Error(string text) => new()
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema> { ["error"] = new OpenApiSchema { Type = JsonSchemaType.String } }, Required = new HashSet<string> { "error" } },
                },
            },
        };
        operation.Responses!["200"] = Answer("Committed: every row stored or recognised as a duplicate.");
        operation.Responses["400"] = Answer("Rejected: nothing stored; every error listed with line and column.");
        operation.Responses["401"] = Error("No API key, or an unknown or revoked one.");
        operation.Responses["404"] = Error("Unknown kind (the kinds are " + string.Join(", ", IngestKinds.Names) + ").");
        operation.Responses["413"] = Error("The body is larger than Ingestion:MaxPushBytes.");
    }

    /// <summary>The columns of a kind as a JSON object schema: ids must be strings, other values may be strings, numbers or booleans.</summary>
    private static OpenApiSchema IngestRecordSchema(IngestKind kind)
    {
        var columns = kind switch
        {
            IngestKind.Contacts => ContactFormat.Instance.Columns,
            IngestKind.Cases => CaseFormat.Instance.Columns,
            IngestKind.Volumes => VolumeFormat.Instance.Columns,
            IngestKind.Staffing => StaffingFormat.Instance.Columns,
            IngestKind.Snapshots => SnapshotFormat.Instance.Columns,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind"),
        };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = $"One record of POST /api/ingest/{kind.Name()} (also the CSV header's columns).",
            Properties = columns.ToDictionary(
                c => c.Name,
                c => (IOpenApiSchema)new OpenApiSchema { Type = c.TextOnly ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean | JsonSchemaType.Null },
                StringComparer.Ordinal),
            Required = columns.Where(c => !c.Optional).Select(c => c.Name).ToHashSet(StringComparer.Ordinal),
            AdditionalPropertiesAllowed = false,
        };
    }

    private static string IngestSchemaId(IngestKind kind) => "Ingest" + kind;

    private static string NormalizeRoute(string key) => System.Text.RegularExpressions.Regex.Replace(key, @"\{([A-Za-z]+):[^}]+\}", "{$1}");

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, string scheme) => new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static OpenApiResponse Problem(string text) => new()
    {
        Description = text,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails)) } },
    };
}
