using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Sources.Ingestion.Api;

/// <summary>The push API's answer: counts, and every error when the request was refused.</summary>
/// <param name="Kind">The record kind imported.</param>
/// <param name="Source">The source the API key belongs to.</param>
/// <param name="Status"><c>committed</c> (everything stored or recognised as duplicate) or <c>rejected</c> (nothing stored).</param>
/// <param name="Rows">Data rows in the request.</param>
/// <param name="Accepted">New rows stored.</param>
/// <param name="Updated">Rows that replaced a stored value (volumes, staffing, cases; audited).</param>
/// <param name="Duplicates">Rows already stored with the same value.</param>
/// <param name="Rejected">Rows refused (all of them when the request was refused).</param>
/// <param name="Errors">Every problem found: line, column, reason.</param>
public sealed record IngestResponse(
    string Kind, string Source, string Status, int Rows, int Accepted, int Updated, int Duplicates, int Rejected, IReadOnlyList<IngestError> Errors);

/// <summary><c>POST /api/ingest/{kind}</c>: CSV (<c>text/csv</c>) or JSON (<c>application/json</c>) with a per-source API key.</summary>
/// <summary>Body of <c>POST /api/admin/api-keys</c>.</summary>
/// <param name="Source">The source the key may push for.</param>
public sealed record NewApiKeyRequest(string Source);

internal static class IngestApi
{
    public const string KeyHeader = "X-Api-Key";

    public static void MapIngestApi(this WebApplication app)
    {
        // Push-API keys: admins only, every change audited; a key is shown once and only its hash is kept.
        var keys = app.MapGroup("/api/admin/api-keys").RequireAuthorization(Security.Policies.Admin);
        keys.MapGet("/", (ApiKeyService service, CancellationToken ct) => service.ListAsync(ct));
        keys.MapPost("/", async (NewApiKeyRequest request, ApiKeyService service, Security.AuditLog audit, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct) =>
        {
            try
            {
                var created = await service.CreateAsync(request.Source, ct).ConfigureAwait(false);
                await audit.RecordAsync(user.Identity!.Name!, "create", "api-key", created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { created.Source }, ct).ConfigureAwait(false);
                return Results.Created($"/api/admin/api-keys/{created.Id}", created);
            }
            catch (ArgumentException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        keys.MapDelete("/{id:long}", async (long id, ApiKeyService service, Security.AuditLog audit, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (!await service.RevokeAsync(id, ct).ConfigureAwait(false))
            {
                return Results.NotFound();
            }

            await audit.RecordAsync(user.Identity!.Name!, "revoke", "api-key", id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { Revoked = false }, new { Revoked = true }, ct).ConfigureAwait(false);
            return Results.NoContent();
        });

        app.MapPost("/api/ingest/{kind}", async (string kind, HttpContext http, ApiKeyService keys, ImportService imports, IOptions<IngestionOptions> options, CancellationToken ct) =>
        {
            var source = await keys.AuthenticateAsync(PresentedKey(http.Request), ct).ConfigureAwait(false);
            if (source is null)
            {
                http.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
                var missing = string.IsNullOrEmpty(PresentedKey(http.Request));
                return Results.Json(new { Error = missing ? $"an API key is required ({KeyHeader} header or Authorization: Bearer)" : "unknown or revoked API key" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            if (!IngestKinds.TryParse(kind, out var ingestKind))
            {
                return Results.Json(new { Error = $"unknown kind '{kind}'; the kinds are {string.Join(", ", IngestKinds.Names)}" }, statusCode: StatusCodes.Status404NotFound);
            }

            var limit = options.Value.MaxPushBytes;
            if (http.Request.ContentLength > limit)
            {
                return Results.Json(new { Error = $"the body is larger than the limit of {limit:N0} bytes (Ingestion:MaxPushBytes)" }, statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit + 1;
            }

            var format = http.Request.ContentType switch
            {
                { } t when t.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) => TextFormat.Csv,
                { } t when t.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) => TextFormat.Json,
                _ => TextFormat.Auto,
            };
            var request = new ImportRequest(ingestKind, source, "push") { Format = format, Channel = "push", MaxBytes = limit };
            var result = await imports.ImportAsync(request, http.Request.Body, null, ct).ConfigureAwait(false);
            var response = new IngestResponse(result.Kind, result.Source, result.Committed ? "committed" : "rejected", result.Rows, result.Accepted, result.Updated, result.Duplicates, result.Rejected, result.Errors);
            var code = result.Committed ? StatusCodes.Status200OK
                : result.Errors is [{ Line: 0, Column: null } e] && e.Reason.StartsWith("larger than", StringComparison.Ordinal) ? StatusCodes.Status413PayloadTooLarge
                : StatusCodes.Status400BadRequest;
            return Results.Json(response, statusCode: code);
        })
        // The endpoint checks its source's API key itself (so a caller learns whether the key is missing,
        // unknown or revoked); a signed-in role carries no key and is refused like anyone else.
        .AllowAnonymous()
        .DisableAntiforgery()
        .RequireRateLimiting(Security.SecurityServices.IngestLimiter);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(KeyHeader, out var key) && !string.IsNullOrWhiteSpace(key))
        {
            return key.ToString().Trim();
        }

        var auth = request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim() : null;
    }
}
