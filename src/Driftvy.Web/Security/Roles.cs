namespace Driftvy.Web.Security;

/// <summary>
/// The three roles. Each includes the one before: a team leader can do what a viewer can, an admin
/// what a team leader can.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string TeamLeader = "teamleader";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Viewer, TeamLeader, Admin];

    public static bool IsValid(string role) => All.Contains(role);
}

/// <summary>Authorization policy names used on endpoints and the hub.</summary>
public static class Policies
{
    /// <summary>Read boards and reports: any signed-in role, or a display token (for its own board only).</summary>
    public const string ViewBoards = "view-boards";

    /// <summary>Read reports, KPIs, the steering view: any signed-in role.</summary>
    public const string Viewer = "viewer";

    /// <summary>Annotations, acknowledging alerts, call-back lists.</summary>
    public const string TeamLeader = "teamleader";

    /// <summary>Targets, KPI parameters, boards, sources, API keys, alert rules, users, display tokens.</summary>
    public const string Admin = "admin";

    /// <summary>Pushing data in: a source's ingestion API key.</summary>
    public const string Ingest = "ingest";

    /// <summary>Deliberately open to anyone (sign-in page, liveness, static files).</summary>
    public const string Anonymous = "anonymous";
}

/// <summary>Authentication scheme names.</summary>
public static class Schemes
{
    public const string Cookie = "Cookies";
    public const string Bearer = "Bearer";
    public const string DisplayToken = "DisplayToken";
    public const string ApiKey = "ApiKey";

    /// <summary>Claim naming the one board a display token may see.</summary>
    public const string BoardClaim = "driftvy:board";

    /// <summary>Claim naming the display token's id, so that every connection opened with it can be closed when it is revoked.</summary>
    public const string DisplayTokenClaim = "driftvy:display-token";

    /// <summary>Claim naming the source an ingestion key may write to.</summary>
    public const string SourceClaim = "driftvy:source";
}
