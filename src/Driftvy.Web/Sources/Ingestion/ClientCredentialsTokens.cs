using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Driftvy.Web.Sources.Ingestion;

/// <summary>
/// Bearer tokens for HTTP pollers whose system wants OAuth 2.0 client credentials (RFC 6749 §4.4): the client id and
/// secret go to the poller's <see cref="HttpPollerOptions.TokenUrl"/> as HTTP Basic, the answer's <c>access_token</c> is
/// kept until shortly before its <c>expires_in</c>, and a poll that is refused with 401 drops it so the next request
/// fetches a new one. The secret only ever leaves in the token request's Authorization header; it is never logged or
/// put in an error.
/// </summary>
internal sealed class ClientCredentialsTokens(IHttpClientFactory http, TimeProvider time)
{
    /// <summary>A token is renewed this long before it expires, so a poll never goes out with one about to lapse.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ValidUntil)> _tokens = new(StringComparer.Ordinal);

    /// <summary>The poller's current access token, fetched when it has none or it is about to expire.</summary>
    public async Task<string> GetAsync(HttpPollerOptions poller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poller);
        if (_tokens.TryGetValue(poller.Source, out var held) && time.GetUtcNow() < held.ValidUntil)
        {
            return held.Token;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, poller.TokenUrl);
        // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined and base64-encoded.
        var pair = $"{Uri.EscapeDataString(poller.ClientId)}:{Uri.EscapeDataString(poller.ClientSecret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (poller.Scope.Length > 0)
        {
            form.Add(new("scope", poller.Scope));
        }

        request.Content = new FormUrlEncodedContent(form);
        var asked = time.GetUtcNow();
        using var response = await http.CreateClient(HttpPoller.ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"The token endpoint refused the client credentials: {(int)response.StatusCode} ({response.ReasonPhrase})", null, response.StatusCode);
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("access_token", out var token) || token.ValueKind != JsonValueKind.String
            || token.GetString() is not { Length: > 0 } accessToken)
        {
            throw new JsonException("The token endpoint's answer has no access_token.");
        }

        if (root.TryGetProperty("token_type", out var type) && type.ValueKind == JsonValueKind.String
            && !string.Equals(type.GetString(), "bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new JsonException($"The token endpoint gave a '{type.GetString()}' token; only bearer tokens are supported.");
        }

        // Without expires_in the token is used for one poll only.
        var lifetime = root.TryGetProperty("expires_in", out var expires) && Seconds(expires) is { } s ? TimeSpan.FromSeconds(s) : TimeSpan.Zero;
        var renewBefore = TimeSpan.FromTicks(Math.Min(RenewBefore.Ticks, lifetime.Ticks / 10));
        _tokens[poller.Source] = (accessToken, asked + lifetime - renewBefore);
        return accessToken;
    }

    /// <summary>Forgets the poller's token (the system refused it), so the next request fetches a new one.</summary>
    public void Drop(string source) => _tokens.TryRemove(source, out _);

    private static long? Seconds(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) && n > 0 => n,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
        _ => null,
    };
}
