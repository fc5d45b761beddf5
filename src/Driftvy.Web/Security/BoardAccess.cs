using System.Security.Claims;

namespace Driftvy.Web.Security;

/// <summary>A display token sees only its own board; every other identity that may view boards sees all.</summary>
public static class BoardAccess
{
    /// <summary>The one board a display token is for; null for every other identity (which sees all boards).</summary>
    public static string? OnlyBoard(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(Schemes.BoardClaim)?.Value;
    }

    public static bool MaySee(ClaimsPrincipal user, string boardId)
    {
        ArgumentNullException.ThrowIfNull(user);
        var board = user.FindFirst(Schemes.BoardClaim)?.Value;
        return board is null || string.Equals(board, boardId, StringComparison.Ordinal);
    }
}
