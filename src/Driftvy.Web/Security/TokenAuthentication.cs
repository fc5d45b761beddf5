using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Security;

/// <summary>What a valid display token grants: the one board it opens, and its id (so its connections can be found on revocation).</summary>
public sealed record DisplayGrant(long TokenId, string BoardId);

/// <summary>Checks a display token: what it grants, or null when unknown or revoked (checked on every request and hub call).</summary>
public interface IDisplayTokenValidator
{
    Task<DisplayGrant?> GrantForAsync(string token, CancellationToken cancellationToken);

    /// <summary>Whether the token with this id still exists and is not revoked.</summary>
    Task<bool> IsLiveAsync(long tokenId, CancellationToken cancellationToken);
}

/// <summary>Checks an ingestion API key: the source it may write to, or null when unknown or revoked.</summary>
public interface IApiKeyValidator
{
    Task<string?> SourceForAsync(string key, CancellationToken cancellationToken);
}

/// <summary>
/// A read-only identity for a TV: the display token comes as <c>?token=</c> (page and hub URLs) or the
/// <c>X-Display-Token</c> header, and grants one board. It never expires like a session; revoking it
/// refuses it at once.
/// </summary>
internal sealed class DisplayTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IDisplayTokenValidator tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>
    /// The token the request presents, header first; an empty header or <c>?token=</c> counts as none, so an
    /// empty value can neither hide a header nor stand for a token.
    /// </summary>
    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers["X-Display-Token"].FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return header ?? request.Query["token"].FirstOrDefault(v => !string.IsNullOrEmpty(v));
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenOf(Request);
        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var grant = await tokens.GrantForAsync(token, Context.RequestAborted).ConfigureAwait(false);
        if (grant is null)
        {
            return AuthenticateResult.Fail("unknown or revoked display token");
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, "display:" + grant.BoardId),
            new Claim(Schemes.BoardClaim, grant.BoardId),
            new Claim(Schemes.DisplayTokenClaim, grant.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], Schemes.DisplayToken);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Schemes.DisplayToken));
    }
}

/// <summary>
/// A source's write-only identity: <c>X-Api-Key: …</c>, <c>Authorization: ApiKey …</c>, or <c>Authorization: Bearer …</c>
/// when no external identity provider takes bearer tokens (the push API has always accepted that form).
/// </summary>
internal sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IApiKeyValidator keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public static string? KeyOf(HttpRequest request)
    {
        var header = request.Headers["X-Api-Key"].FirstOrDefault();
        if (!string.IsNullOrWhiteSpace(header))
        {
            return header.Trim();
        }

        var auth = request.Headers.Authorization.FirstOrDefault();
        return auth is null ? null
            : auth.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim()
            : auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim()
            : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = KeyOf(Request);
        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }

        var source = await keys.SourceForAsync(key, Context.RequestAborted).ConfigureAwait(false);
        if (source is null)
        {
            return AuthenticateResult.Fail("unknown or revoked API key");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "source:" + source), new Claim(Schemes.SourceClaim, source)], Schemes.ApiKey);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Schemes.ApiKey));
    }
}
