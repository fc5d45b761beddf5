using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Driftvy.Web.Sources.Ingestion.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Ingestion;

/// <summary><c>POST /api/ingest/{kind}</c>: authentication by per-source key, counts and per-row errors.</summary>
public sealed class PushApiTests
{
    private const string Volumes = "date,team,kind,count\n2026-11-02,lr,supplier_invoice,410\n2026-11-02,kr,customer_invoice,265\n";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Post(string kind, string body, string? key, string contentType = "text/csv")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/ingest/{kind}") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (key is not null)
        {
            request.Headers.Add(IngestApi.KeyHeader, key);
        }

        return request;
    }

    [Fact]
    public async Task Post_WithoutKey_Unauthorized()
    {
        await using var app = IngestionTestHost.Create();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(Post("volumes", Volumes, key: null), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("API key is required", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("0,0,0,0,0,0,0,0,0", await app.TableCountsAsync(Ct));
    }

    [Fact]
    public async Task Post_WithWrongKey_Unauthorized()
    {
        await using var app = IngestionTestHost.Create();
        using var client = app.CreateClient();
        await app.Services.GetRequiredService<ApiKeyService>().CreateAsync("agresso", Ct);

        using var response = await client.SendAsync(Post("volumes", Volumes, ApiKeyService.Prefix + "not-the-key"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("unknown or revoked", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("0,0,0,0,0,0,0,0,0", await app.TableCountsAsync(Ct));
    }

    [Fact]
    public async Task Post_WithRevokedKey_Unauthorized()
    {
        await using var app = IngestionTestHost.Create();
        using var client = app.CreateClient();
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var key = await keys.CreateAsync("agresso", Ct);
        using (var before = await client.SendAsync(Post("volumes", Volumes, key.Key), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Assert.True(await keys.RevokeAsync(key.Id, Ct));
        using var response = await client.SendAsync(Post("volumes", "date,team,kind,count\n2026-11-03,lr,supplier_invoice,1\n", key.Key), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, await app.WithDbAsync(db => db.Volumes.CountAsync(Ct), Ct));
    }

    [Fact]
    public async Task Post_ValidCsvWithBearerKey_CountsAcceptedThenDuplicates()
    {
        await using var app = IngestionTestHost.Create();
        using var client = app.CreateClient();
        var key = await app.Services.GetRequiredService<ApiKeyService>().CreateAsync("agresso", Ct);

        using var first = Post("volumes", Volumes, null);
        first.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        using var firstResponse = await client.SendAsync(first, Ct);
        using var secondResponse = await client.SendAsync(Post("volumes", Volumes, key.Key), Ct);

        var a = await firstResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var b = await secondResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(("committed", "agresso", 2, 0), (a.GetProperty("status").GetString(), a.GetProperty("source").GetString(), a.GetProperty("accepted").GetInt32(), a.GetProperty("duplicates").GetInt32()));
        Assert.Equal((0, 2), (b.GetProperty("accepted").GetInt32(), b.GetProperty("duplicates").GetInt32()));
        var stored = await app.WithDbAsync(db => db.ApiKeys.SingleAsync(Ct), Ct);
        Assert.NotNull(stored.LastUsedAtMs);
        Assert.NotEqual(key.Key, stored.KeyHash);
        Assert.DoesNotContain(key.Key, stored.KeyHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BadJsonRows_RejectedWithEveryErrorAndNothingStored()
    {
        await using var app = IngestionTestHost.Create();
        using var client = app.CreateClient();
        var key = await app.Services.GetRequiredService<ApiKeyService>().CreateAsync("telia-ace", Ct);
        const string json = """
            [
              { "contact_id": "a1", "channel": "phone", "queue": "kc-stockholm", "offered_at": "2026-11-02T09:00:00+01:00", "answered_at": null, "abandoned_at": "2026-11-02T09:02:00+01:00", "ended_at": null, "resolved_first_contact": null },
              { "contact_id": "a2", "channel": "phone", "queue": "kc-stockholm", "offered_at": "2026-11-02T09:00:00", "answered_at": null, "abandoned_at": null, "ended_at": null, "resolved_first_contact": null },
              { "contact_id": "a3", "channel": "sms", "queue": "kc-stockholm", "offered_at": "2026-11-02T09:00:00+01:00", "answered_at": null, "abandoned_at": null, "ended_at": null, "resolved_first_contact": null }
            ]
            """;

        using var response = await client.SendAsync(Post("contacts", json, key.Key, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("rejected", 3, 3), (body.GetProperty("status").GetString(), body.GetProperty("rows").GetInt32(), body.GetProperty("rejected").GetInt32()));
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => $"{e.GetProperty("line").GetInt32()}:{e.GetProperty("column").GetString()}").ToList();
        Assert.Equal(["3:offered_at", "4:channel"], errors);
        Assert.Equal("0,0,0,0,0,0,0,0,0", await app.TableCountsAsync(Ct));
    }

    [Fact]
    public async Task Post_UnknownKindOrTooLarge_RefusedClearly()
    {
        await using var app = IngestionTestHost.Create(new Dictionary<string, string?> { ["Ingestion:MaxPushBytes"] = "64" });
        using var client = app.CreateClient();
        var key = await app.Services.GetRequiredService<ApiKeyService>().CreateAsync("agresso", Ct);

        using var unknown = await client.SendAsync(Post("invoices", Volumes, key.Key), Ct);
        using var large = await client.SendAsync(Post("volumes", Volumes, key.Key), Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal("0,0,0,0,0,0,0,0,0", await app.TableCountsAsync(Ct));
    }
}
