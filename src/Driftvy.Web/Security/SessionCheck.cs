using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.SignalR;

namespace Driftvy.Web.Security;

/// <summary>
/// Whether an identity that was accepted once is still good now. A hub connection lives for hours on the
/// identity of its first request; asking again on every hub call is what makes a revocation take effect at once.
/// </summary>
internal sealed class SessionCheck(IDisplayTokenValidator displays, UserStore users, IOptionsMonitor<SecurityOptions> options, TimeProvider time)
{
    /// <summary>Claim carrying the account's security stamp at sign-in.</summary>
    public const string StampClaim = "driftvy:stamp";

    /// <summary>Claim carrying the sign-in instant (Unix milliseconds), for the absolute lifetime.</summary>
    public const string SignedInClaim = "driftvy:signed-in";

    /// <summary>
    /// A display token must still be unrevoked; a cookie session must belong to an enabled account whose stamp
    /// has not changed since sign-in and must be younger than <c>Security:AbsoluteSessionLifetime</c>, however
    /// often it slid. Other identities (anonymous, bearer tokens with their own expiry) are not session-bound.
    /// </summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal? user, CancellationToken cancellationToken)
    {
        if (user?.FindFirst(Schemes.DisplayTokenClaim)?.Value is { } token)
        {
            return long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var id) &&
                   await displays.IsLiveAsync(id, cancellationToken).ConfigureAwait(false);
        }

        if (user?.Identity is { IsAuthenticated: true, AuthenticationType: Schemes.Cookie })
        {
            if (!long.TryParse(user.FindFirst(ClaimTypes.NameIdentifier)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var account) ||
                !long.TryParse(user.FindFirst(SignedInClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var signedInMs) ||
                user.FindFirst(StampClaim)?.Value is not { Length: > 0 } stamp)
            {
                return false;
            }

            var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(signedInMs);
            if (age > options.CurrentValue.AbsoluteSessionLifetime)
            {
                return false;
            }

            var current = await users.CurrentStampAsync(account, cancellationToken).ConfigureAwait(false);
            return current is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(current), Encoding.UTF8.GetBytes(stamp));
        }

        return true;
    }
}

/// <summary>Live connections (the hub's) of an account whose sessions just ended on this instance are closed through this.</summary>
public interface ILiveSessions
{
    Task EndUserAsync(long userId);
}

/// <summary>Refuses, and closes, a hub connection whose identity is no longer good, on every hub call.</summary>
internal sealed class SessionHubFilter(SessionCheck sessions) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        var context = invocationContext.Context;
        if (!await sessions.IsCurrentAsync(context.User, context.ConnectionAborted).ConfigureAwait(false))
        {
            context.Abort();
            // A code the screen knows as final: it stops retrying with a dead link.
            throw new HubException(context.User?.HasClaim(c => c.Type == Schemes.DisplayTokenClaim) == true
                ? HubErrors.DisplayTokenRefused
                : HubErrors.SessionEnded);
        }

        return await next(invocationContext).ConfigureAwait(false);
    }
}
