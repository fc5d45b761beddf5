using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace Driftvy.Web.Security;

/// <summary>
/// Whether an identity that was accepted once is still good now. A hub connection lives for hours on the
/// identity of its first request; asking again on every hub call is what makes a revocation take effect at once.
/// </summary>
internal sealed class SessionCheck(IDisplayTokenValidator displays)
{
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal? user, CancellationToken cancellationToken)
    {
        if (user?.FindFirst(Schemes.DisplayTokenClaim)?.Value is { } token)
        {
            return long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var id) &&
                   await displays.IsLiveAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
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
            // The screen recognises "display token" in the message and stops retrying with a dead link.
            throw new HubException(context.User?.HasClaim(c => c.Type == Schemes.DisplayTokenClaim) == true
                ? "Display token refused: it is unknown or has been revoked."
                : "The session has ended; sign in again.");
        }

        return await next(invocationContext).ConfigureAwait(false);
    }
}
