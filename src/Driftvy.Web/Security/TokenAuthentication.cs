using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Security;

/// <summary>Checks a display token: the board it opens, or null when unknown or revoked (checked on every request).</summary>
public interface IDisplayTokenValidator
{
    Task<string?> BoardForAsync(string token, CancellationToken cancellationToken);
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
    public static string? TokenOf(HttpRequest request) =>
        request.Headers["X-Display-Token"].FirstOrDefault() ?? request.Query["token"].FirstOrDefault();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenOf(Request);
        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var board = await tokens.BoardForAsync(token, Context.RequestAborted).ConfigureAwait(false);
        if (board is null)
        {
            return AuthenticateResult.Fail("unknown or revoked display token");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "display:" + board), new Claim(Schemes.BoardClaim, board)], Schemes.DisplayToken);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Schemes.DisplayToken));
    }
}

/// <summary>A source's write-only identity: <c>X-Api-Key: …</c> or <c>Authorization: ApiKey …</c>.</summary>
internal sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IApiKeyValidator keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public static string? KeyOf(HttpRequest request)
    {
        var header = request.Headers["X-Api-Key"].FirstOrDefault();
        if (!string.IsNullOrEmpty(header))
        {
            return header;
        }

        var auth = request.Headers.Authorization.FirstOrDefault();
        return auth is not null && auth.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim() : null;
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
