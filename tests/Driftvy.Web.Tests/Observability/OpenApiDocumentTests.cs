using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Driftvy.Web.Dashboard;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Observability;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: every endpoint of the running app is in it (a new endpoint that is
/// not fails here), with its access, and the contracts a client generates its types from — the push API's bodies, the
/// board snapshot, the hub's messages.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    /// <summary>Endpoints deliberately not among the document's paths, and why.</summary>
    private static readonly Dictionary<string, string> NotPaths = new(StringComparer.Ordinal)
    {
        ["/hubs/dashboard"] = "the SignalR hub: described under x-signalr-hubs",
        ["/hubs/dashboard/negotiate"] = "the SignalR hub's negotiation: described under x-signalr-hubs",
        ["/openapi/{documentName}.json"] = "the document itself",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Document_EveryEndpoint_IsDescribedWithItsMethods()
    {
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Security:AnonymousRead"] = "false" });
        using var document = await ReadDocumentAsync(app);
        var paths = document.RootElement.GetProperty("paths");

        var missing = new List<string>();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        foreach (var endpoint in endpoints)
        {
            var path = PathOf(endpoint.RoutePattern.RawText!);
            if (NotPaths.ContainsKey(path) || path.StartsWith("/api/docs", StringComparison.Ordinal))
            {
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET"];
            foreach (var method in methods)
            {
                if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out _))
                {
                    missing.Add($"{method} {path}");
                }
            }
        }

        Assert.True(endpoints.Count > 50, $"only {endpoints.Count} endpoints found: the app did not map its API");
        Assert.True(missing.Count == 0, "Endpoints missing from /openapi/v1.json: " + string.Join(", ", missing));
        foreach (var hub in NotPaths.Keys.Where(k => k.StartsWith("/hubs/", StringComparison.Ordinal)))
        {
            Assert.Contains(endpoints, e => PathOf(e.RoutePattern.RawText!) == hub);
        }
    }

    [Fact]
    public async Task Document_Operations_NameTheirAccessAndProblemAnswers()
    {
        await using var app = new DriftvyAppFactory();
        using var document = await ReadDocumentAsync(app);
        var paths = document.RootElement.GetProperty("paths");

        var users = paths.GetProperty("/api/admin/users").GetProperty("get");
        Assert.Equal("admin", users.GetProperty("x-driftvy-access").GetString());
        Assert.Equal("#/components/schemas/ProblemDetails", users.GetProperty("responses").GetProperty("403").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(users.GetProperty("responses").TryGetProperty("401", out _));
        Assert.StartsWith("anonymous", paths.GetProperty("/health/live").GetProperty("get").GetProperty("x-driftvy-access").GetString(), StringComparison.Ordinal);
        Assert.Equal("anonymous", paths.GetProperty("/auth/me").GetProperty("get").GetProperty("x-driftvy-access").GetString());
        // No requirement (and none at document level): anyone may call it.
        Assert.False(paths.GetProperty("/health/live").GetProperty("get").TryGetProperty("security", out var open) && open.GetArrayLength() > 0);
        Assert.False(document.RootElement.TryGetProperty("security", out _), "no document-wide requirement that an operation would inherit");
        var login = paths.GetProperty("/auth/login").GetProperty("post");
        Assert.True(login.GetProperty("responses").TryGetProperty("429", out _), "sign-in is rate limited");
        var snapshot = paths.GetProperty("/api/boards/{id}/snapshot").GetProperty("get");
        Assert.Contains("display token", snapshot.GetProperty("x-driftvy-access").GetString(), StringComparison.Ordinal);
        Assert.Contains(snapshot.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("displayToken", out _));
        Assert.Equal("#/components/schemas/BoardSnapshot", snapshot.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        var metrics = paths.GetProperty("/metrics").GetProperty("get");
        Assert.Contains(metrics.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("metricsKey", out _));
        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal("X-Display-Token", schemes.GetProperty("displayToken").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Document_PushApi_DescribesCsvAndJsonBodiesPerKindAndItsAnswers()
    {
        await using var app = new DriftvyAppFactory();
        using var document = await ReadDocumentAsync(app);
        var ingest = document.RootElement.GetProperty("paths").GetProperty("/api/ingest/{kind}").GetProperty("post");
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        Assert.Equal("source API key", ingest.GetProperty("x-driftvy-access").GetString());
        Assert.True(ingest.GetProperty("security")[0].TryGetProperty("apiKey", out _));
        var content = ingest.GetProperty("requestBody").GetProperty("content");
        Assert.Equal("string", content.GetProperty("text/csv").GetProperty("schema").GetProperty("type").GetString());
        var kinds = content.GetProperty("application/json").GetProperty("schema").GetProperty("items").GetProperty("oneOf").EnumerateArray()
            .Select(r => r.GetProperty("$ref").GetString()).ToList();
        Assert.Equal(Enum.GetValues<IngestKind>().Select(k => "#/components/schemas/Ingest" + k), kinds);

        // The contact record's columns are the CSV header's: the id is text only, the caller optional.
        var contact = schemas.GetProperty("IngestContacts");
        var required = contact.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("contact_id", required);
        Assert.Contains("offered_at", required);
        Assert.DoesNotContain("caller", required);
        Assert.Equal("string", contact.GetProperty("properties").GetProperty("contact_id").GetProperty("type").GetString());
        Assert.True(contact.GetProperty("properties").TryGetProperty("caller", out _));

        var responses = ingest.GetProperty("responses");
        foreach (var code in new[] { "200", "400", "401", "404", "413", "429" })
        {
            Assert.True(responses.TryGetProperty(code, out _), $"answer {code} is described");
        }

        var answer = responses.GetProperty("400").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.True(answer.TryGetProperty("$ref", out _) || answer.GetProperty("properties").TryGetProperty("errors", out _), "a rejection lists its errors");
    }

    [Fact]
    public async Task Document_Hub_DescribesEveryMessageWithTheSnapshotContract()
    {
        await using var app = new DriftvyAppFactory();
        using var document = await ReadDocumentAsync(app);
        var hub = document.RootElement.GetProperty("x-signalr-hubs").GetProperty("/hubs/dashboard");
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        var toClient = hub.GetProperty("serverToClient");
        Assert.Equal(typeof(IDashboardClient).GetMethods().Select(m => m.Name).Order(StringComparer.Ordinal), toClient.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("#/components/schemas/BoardSnapshot", toClient.GetProperty("BoardUpdated").GetProperty("arguments")[0].GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/AlertView", toClient.GetProperty("AlertsChanged").GetProperty("arguments")[0].GetProperty("items").GetProperty("$ref").GetString());
        var toServer = hub.GetProperty("clientToServer");
        Assert.Equal("#/components/schemas/BoardChange", toClient.GetProperty("BoardChanged").GetProperty("arguments")[0].GetProperty("$ref").GetString());
        Assert.Equal(["JoinBoard", "LeaveBoard", "Snapshot"], toServer.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("#/components/schemas/BoardSnapshot", toServer.GetProperty("JoinBoard").GetProperty("returns").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/BoardSnapshot", toServer.GetProperty("Snapshot").GetProperty("returns").GetProperty("$ref").GetString());

        // The snapshot's schema names every property the screens read, tiles included, with numbers as numbers.
        var snapshot = schemas.GetProperty("BoardSnapshot").GetProperty("properties");
        foreach (var property in typeof(BoardSnapshot).GetProperties())
        {
            Assert.True(snapshot.TryGetProperty(JsonNamingPolicy.CamelCase.ConvertName(property.Name), out _), $"BoardSnapshot.{property.Name} is described");
        }

        var tile = Resolve(schemas, snapshot.GetProperty("tiles").GetProperty("items")).GetProperty("properties");
        foreach (var property in typeof(BoardTile).GetProperties())
        {
            Assert.True(tile.TryGetProperty(JsonNamingPolicy.CamelCase.ConvertName(property.Name), out _), $"BoardTile.{property.Name} is described");
        }

        Assert.Equal("number", snapshot.GetProperty("staleAfterSeconds").GetProperty("type").GetString());
    }

    /// <summary>Operations whose successful answer is a file, a page or a stream rather than JSON, and what it is.</summary>
    private static readonly Dictionary<string, string> NotJson = new(StringComparer.Ordinal)
    {
        ["GET /boards/{id}"] = "the wall screen page",
        ["GET /display/{token}"] = "the wall screen page",
        ["GET /steering"] = "the steering page",
        ["GET /login"] = "the sign-in page",
        ["GET /admin"] = "the administration page",
        ["GET /api/boards/{id}/image.png"] = "a PNG image",
        ["GET /alerts/images/{id}.png"] = "an alert's PNG picture, behind a signed link that expires",
        ["GET /metrics"] = "Prometheus's text format",
        ["GET /api/reports/tertial/{year}/{period}"] = "the report as a file: xlsx, csv, json or html (?format=)",
        ["GET /api/reports/monthly/{year}/{month}"] = "the report as a file: xlsx, csv, json or html (?format=)",
    };

    [Fact]
    public async Task Document_EverySuccessfulJsonAnswer_HasASchema()
    {
        await using var app = new DriftvyAppFactory();
        using var document = await ReadDocumentAsync(app);

        var without = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (NotJson.ContainsKey(name))
                {
                    continue;
                }

                var success = operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
                var described = success.Count > 0 && success.All(r => r.Name == "204"
                    || (r.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(m => m.Value.TryGetProperty("schema", out _))));
                if (!described)
                {
                    without.Add(name);
                }
            }
        }

        Assert.True(without.Count == 0, "Operations whose successful answer has no schema: " + string.Join(", ", without));
        Assert.All(NotJson.Keys, k => Assert.Contains(k.Split(' ')[1], document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task Reference_ApiDocs_ServesTheInteractiveReferenceForTheDocument()
    {
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Security:AnonymousRead"] = "false" });
        using var client = app.CreateClient();

        using var page = await client.GetAsync(new Uri("/api/docs/", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("scalar.js", html, StringComparison.Ordinal);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        using var script = await client.GetAsync(new Uri("/api/docs/scalar.js", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        // The page's inline start-up script is allowed on its own path, nowhere else.
        Assert.Contains("'unsafe-inline'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var other = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);
        Assert.DoesNotContain("'unsafe-inline'", other.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private static JsonElement Resolve(JsonElement schemas, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!["#/components/schemas/".Length..]) : schema;

    private static async Task<JsonDocument> ReadDocumentAsync(DriftvyAppFactory app)
    {
        using var client = app.CreateClient();
        using var answer = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return await JsonDocument.ParseAsync(await answer.Content.ReadAsStreamAsync(Ct), cancellationToken: Ct);
    }

    /// <summary>A route as an OpenAPI path: constraints and optional marks dropped, no trailing slash.</summary>
    private static string PathOf(string route)
    {
        var path = RouteConstraint().Replace(route, "{$1}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    [GeneratedRegex(@"\{\*?([A-Za-z]+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteConstraint();
}
