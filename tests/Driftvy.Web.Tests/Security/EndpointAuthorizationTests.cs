using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Driftvy.Web.Security;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>
/// Every endpoint of the running app, for every role and for anonymous: allowed or denied as the table
/// says. An endpoint missing from the table fails the test, so a new endpoint cannot ship without a
/// deliberate access decision.
/// </summary>
public sealed partial class EndpointAuthorizationTests
{
    private enum Access
    {
        Anonymous,

        /// <summary>Any identity: a role, a display token or an API key (who am I, sign out).</summary>
        Authenticated,
        Boards,
        Viewer,
        TeamLeader,
        Admin,
        Ingest,
    }

    /// <summary>The access decision for every endpoint ("METHOD pattern").</summary>
    private static readonly Dictionary<string, Access> Expected = new(StringComparer.Ordinal)
    {
        ["GET /boards/{id}"] = Access.Anonymous,
        ["GET /api/config"] = Access.Anonymous,
        ["GET /health"] = Access.Anonymous,
        ["GET /health/live"] = Access.Anonymous,
        ["GET /health/ready"] = Access.Anonymous,
        ["GET /auth/antiforgery"] = Access.Anonymous,
        ["GET /login"] = Access.Anonymous,
        ["GET /display/{token}"] = Access.Anonymous,
        ["GET /api/display/{token}"] = Access.Anonymous,
        ["GET /steering"] = Access.Anonymous,
        ["GET /api/steering"] = Access.Viewer,
        ["GET /api/annotations"] = Access.Boards,
        ["POST /api/annotations"] = Access.TeamLeader,
        ["GET /api/callbacks"] = Access.TeamLeader,
        ["POST /api/admin/display-tokens/"] = Access.Admin,
        ["GET /api/admin/display-tokens/"] = Access.Admin,
        ["DELETE /api/admin/display-tokens/{id:long}"] = Access.Admin,
        ["POST /auth/login"] = Access.Anonymous,
        ["POST /auth/logout"] = Access.Authenticated,
        ["GET /auth/me"] = Access.Anonymous,
        ["GET /api/boards"] = Access.Boards,
        ["GET /api/boards/{id}/snapshot"] = Access.Boards,
        ["GET /api/boards/{id}/image.png"] = Access.Boards,
        // The signed, expiring link in a Teams card is the permission (Teams fetches without signing in).
        ["GET /alerts/images/{id}.png"] = Access.Anonymous,
        ["GET /api/alerts/"] = Access.Boards,
        ["GET /api/kpis"] = Access.Viewer,
        ["GET /api/aggregates/queues/{id}"] = Access.Viewer,
        ["GET /api/history/channels"] = Access.Viewer,
        ["GET /api/aggregates/teams/{id}"] = Access.Viewer,
        ["GET /api/staffing/erlang"] = Access.Viewer,
        ["GET /api/staffing/queues/{id}"] = Access.Viewer,
        ["GET /api/staffing/queues/{id}/week"] = Access.Viewer,
        ["POST /api/admin/aggregates/rebuild"] = Access.Admin,
        ["GET /api/admin/history/verify"] = Access.Admin,
        ["GET /api/reports/tertial/{year:int}/{period}"] = Access.Viewer,
        ["GET /api/reports/tertial/{year:int}/{period}/changes"] = Access.Viewer,
        ["POST /api/reports/tertial/{year:int}/{period}/fix"] = Access.Admin,
        ["GET /api/reports/monthly/{year:int}/{month:int}"] = Access.Viewer,
        ["GET /api/targets"] = Access.Viewer,
        ["GET /api/alerts/log"] = Access.Viewer,
        ["POST /api/alerts/{id:guid}/acknowledge"] = Access.TeamLeader,
        ["GET /api/admin/users"] = Access.Admin,
        ["POST /api/admin/users"] = Access.Admin,
        ["PUT /api/admin/users/{id:long}/role"] = Access.Admin,
        ["PUT /api/admin/users/{id:long}/password"] = Access.Admin,
        ["GET /api/admin/audit"] = Access.Admin,
        ["POST /api/ingest/{kind}"] = Access.Ingest,
        ["GET /api/admin/api-keys/"] = Access.Admin,
        ["POST /api/admin/api-keys/"] = Access.Admin,
        ["DELETE /api/admin/api-keys/{id:long}"] = Access.Admin,
        ["GET /admin"] = Access.Anonymous,
        ["GET /api/admin/settings"] = Access.Admin,
        ["GET /api/admin/quarantine"] = Access.Admin,
        ["GET /api/admin/targets"] = Access.Admin,
        ["PUT /api/admin/targets"] = Access.Admin,
        ["DELETE /api/admin/targets/{kpiId}/{year:int}"] = Access.Admin,
        ["GET /api/admin/kpi-parameters"] = Access.Admin,
        ["POST /api/admin/kpi-parameters"] = Access.Admin,
        ["DELETE /api/admin/kpi-parameters/{kpiId}/{effectiveFrom}"] = Access.Admin,
        ["GET /api/admin/staffing"] = Access.Admin,
        ["PUT /api/admin/staffing"] = Access.Admin,
        ["GET /api/admin/boards"] = Access.Admin,
        ["GET /api/admin/boards/{id}"] = Access.Admin,
        ["PUT /api/admin/boards/{id}"] = Access.Admin,
        ["DELETE /api/admin/boards/{id}"] = Access.Admin,
        ["GET /api/admin/alert-rules"] = Access.Admin,
        ["PUT /api/admin/alert-rules"] = Access.Admin,
        ["DELETE /api/admin/alert-rules"] = Access.Admin,
        ["GET /api/admin/sources"] = Access.Admin,
        ["PUT /api/admin/users/{id:long}/disabled"] = Access.Admin,
        // Prometheus scrape: an admin, or a scraper with the metrics key (Observability/MetricsEndpointTests).
        ["* /metrics"] = Access.Admin,
        // The API's description and its interactive reference: the API's shape, no data (Observability/OpenApiDocumentTests).
        ["GET /openapi/{documentName}.json"] = Access.Anonymous,
        ["GET /api/docs/{documentName?}"] = Access.Anonymous,
        ["GET /api/docs/scalar.js"] = Access.Anonymous,
        ["GET /api/docs/scalar.aspnetcore.js"] = Access.Anonymous,
        ["GET /api/docs/favicon.svg"] = Access.Anonymous,
        ["* /hubs/dashboard"] = Access.Boards,
        ["* /hubs/dashboard/negotiate"] = Access.Boards,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryEndpoint_ForEveryRoleAndAnonymous_IsAllowedOrDeniedAsDecided()
    {
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?> { ["Security:AnonymousRead"] = "false" });
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Key: KeyOf(e), Endpoint: e))
            // Signing out ends the test sessions, so it goes last.
            .OrderBy(e => e.Key == "POST /auth/logout")
            .ToList();

        var undecided = endpoints.Select(e => e.Key).Where(k => !Expected.ContainsKey(k)).ToList();
        Assert.True(undecided.Count == 0, "Endpoints without an access decision in this table: " + string.Join(", ", undecided));
        var gone = Expected.Keys.Where(k => endpoints.All(e => e.Key != k)).ToList();
        Assert.True(gone.Count == 0, "Table entries for endpoints that no longer exist: " + string.Join(", ", gone));

        var clients = new Dictionary<string, (HttpClient Client, int Level)>
        {
            ["anonymous"] = (app.CreateClient(), 0),
            [Roles.Viewer] = (await app.CreateClientAsAsync(Roles.Viewer), 1),
            [Roles.TeamLeader] = (await app.CreateClientAsAsync(Roles.TeamLeader), 2),
            [Roles.Admin] = (await app.CreateClientAsAsync(Roles.Admin), 3),
        };
        var apiKey = await app.Services.GetRequiredService<Driftvy.Web.Sources.Ingestion.Api.ApiKeyService>().CreateAsync("telephony", Ct);
        var keyClient = app.CreateClient();
        keyClient.DefaultRequestHeaders.Add("X-Api-Key", apiKey.Key);
        clients["api key"] = (keyClient, -1);
        var display = await app.Services.GetRequiredService<Driftvy.Web.Dashboard.Display.DisplayTokenService>().CreateAsync("kontaktcenter", "test", Ct);
        var tvClient = app.CreateClient();
        tvClient.DefaultRequestHeaders.Add("X-Display-Token", display.Token);
        clients["display token"] = (tvClient, -2);
        var failures = new List<string>();
        foreach (var (key, endpoint) in endpoints)
        {
            var access = Expected[key];
            foreach (var method in Methods(endpoint))
            {
                foreach (var (who, (client, level)) in clients)
                {
                    var shouldPass = access switch
                    {
                        Access.Anonymous => true,
                        Access.Ingest => level == -1,
                        Access.Authenticated => level != 0,
                        Access.Boards => level is -2 or >= 1,
                        _ when level < 0 => false,
                        Access.Viewer => level >= 1,
                        Access.TeamLeader => level >= 2,
                        Access.Admin => level >= 3,
                        _ => false,
                    };
                    using var request = new HttpRequestMessage(new HttpMethod(method), Url(endpoint).Replace("{display-token}", display.Token, StringComparison.Ordinal));
                    if (method is "POST" or "PUT")
                    {
                        request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    }

                    using var response = await client.SendAsync(request, Ct);
                    var passed = response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
                    if (passed != shouldPass)
                    {
                        failures.Add($"{method} {endpoint.RoutePattern.RawText} as {who}: {(int)response.StatusCode}, expected {(shouldPass ? "allowed" : "denied")}");
                    }
                }
            }
        }

        foreach (var (client, _) in clients.Values)
        {
            client.Dispose();
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void HubMethods_AreAllKnown()
    {
        // Hub methods are authorised with the hub (view boards); JoinBoard and Snapshot check a display token's
        // board (HubAccessTests); a new hub method must be added here after deciding its access.
        var methods = typeof(Driftvy.Web.Dashboard.IDashboardClient).Assembly.GetType("Driftvy.Web.Dashboard.DashboardHub")!
            .GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Where(m => m.GetBaseDefinition().DeclaringType == m.DeclaringType)
            .Select(m => m.Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["JoinBoard", "LeaveBoard", "Snapshot"], methods);
    }

    private static string KeyOf(RouteEndpoint e)
    {
        var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
        var verb = methods is null || methods.Count == 0 ? "*" : string.Join('|', methods.Order(StringComparer.Ordinal));
        return $"{verb} {e.RoutePattern.RawText}";
    }

    private static IEnumerable<string> Methods(RouteEndpoint e)
    {
        var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
        return methods is null || methods.Count == 0 ? ["GET"] : methods;
    }

    private static string Url(RouteEndpoint e) => RouteParameter().Replace(e.RoutePattern.RawText!, m => m.Groups[2].Value switch
    {
        "guid" => Guid.NewGuid().ToString(),
        "long" or "int" => "999999",
        _ => m.Groups[1].Value switch
        {
            "id" or "boardId" or "board" => "kontaktcenter",
            "kind" => "contacts",
            "token" => "{display-token}",
            "year" => "2026",
            "month" => "5",
            "period" or "tertial" => "T2",
            _ => "x",
        },
    });

    [GeneratedRegex(@"\{\*?([A-Za-z]+)(?::([a-z]+))?[^}]*\}")]
    private static partial Regex RouteParameter();
}
