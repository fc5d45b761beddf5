namespace Driftvy.Web.Security;

/// <summary>
/// The codes a hub method fails with, as the <c>HubException</c>'s whole message, so a screen decides what a failure
/// means by code rather than by matching a sentence. Any other failure (a store that timed out, a server restarting)
/// reaches the client without a code and is worth retrying. The wall screen reads them by the same codes (<c>ClientApp/src/shared/hub.ts</c>).
/// </summary>
public static class HubErrors
{
    /// <summary>No board has this id (a board file may still appear: retrying later is allowed).</summary>
    public const string UnknownBoard = "unknown-board";

    /// <summary>The display token the screen connected with is unknown or revoked: final.</summary>
    public const string DisplayTokenRefused = "display-token-refused";

    /// <summary>The display token opens another board than the one asked for: final.</summary>
    public const string DisplayTokenOtherBoard = "display-token-other-board";

    /// <summary>The caller may not see this board (not signed in where anonymous reading is off): final.</summary>
    public const string BoardNotAllowed = "board-not-allowed";

    /// <summary>The signed-in session ended (signed out, disabled, demoted, password changed, too old): final; sign in again.</summary>
    public const string SessionEnded = "session-ended";
}
