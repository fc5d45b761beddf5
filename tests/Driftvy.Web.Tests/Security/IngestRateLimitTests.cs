using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Driftvy.Web.Sources.Ingestion.Api;
using Driftvy.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>The push API's rate limit counts a key however it is presented, and made-up keys by the caller's address.</summary>
public sealed class IngestRateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> TwoPerMinute = new() { ["Security:IngestPerMinute"] = "2" };

    [Fact]
    public async Task Push_SameKeyAsHeaderThenAsBearer_SharesOneLimit()
    {
        await using var app = new DriftvyAppFactory(TwoPerMinute);
        var key = (await app.Services.GetRequiredService<ApiKeyService>().CreateAsync("telephony", Ct)).Key;
        using var client = app.CreateClient();

        var first = await PushAsync(client, r => r.Headers.Add("X-Api-Key", key));
        var second = await PushAsync(client, r => r.Headers.Add("X-Api-Key", " " + key + " "));
        var third = await PushAsync(client, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key));

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, second);
        Assert.Equal(HttpStatusCode.TooManyRequests, third);
    }

    [Fact]
    public async Task Push_MadeUpKeys_LimitedByTheCallersAddress()
    {
        await using var app = new DriftvyAppFactory(TwoPerMinute);
        using var client = app.CreateClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await PushAsync(client, r => r.Headers.Add("X-Api-Key", "made-up-key-" + i)));
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers);
    }

    private static async Task<HttpStatusCode> PushAsync(HttpClient client, Action<HttpRequestMessage> authenticate)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/contacts")
        {
            Content = new StringContent("contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact\n", Encoding.UTF8, "text/csv"),
        };
        authenticate(request);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
