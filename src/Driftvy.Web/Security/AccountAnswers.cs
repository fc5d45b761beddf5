namespace Driftvy.Web.Security;

/// <summary>Answer of <c>GET /auth/antiforgery</c>: the token to send with every state change, and the header to send it in.</summary>
/// <param name="Token">The request token.</param>
/// <param name="Header">The header name (<c>X-CSRF-TOKEN</c>).</param>
public sealed record AntiforgeryToken(string? Token, string Header);

/// <summary>Answer of <c>GET /auth/me</c>: who the caller is.</summary>
/// <param name="Name">The account name; null when not signed in.</param>
/// <param name="Roles">The caller's roles.</param>
/// <param name="Board">The board of a display token; null otherwise.</param>
public sealed record CurrentUser(string? Name, IEnumerable<string> Roles, string? Board);

/// <summary>Answer of <c>POST /auth/login</c>: the account signed in and its role.</summary>
/// <param name="Username">The account name.</param>
/// <param name="Role">Its role.</param>
public sealed record SignedIn(string Username, string Role);

/// <summary>Answer of <c>POST /api/admin/users</c>: the account created.</summary>
/// <param name="Id">Account id.</param>
/// <param name="Username">The account name.</param>
/// <param name="Role">Its role.</param>
public sealed record CreatedUser(long Id, string Username, string Role);

/// <summary>One account in <c>GET /api/admin/users</c>.</summary>
/// <param name="Id">Account id.</param>
/// <param name="Username">The account name.</param>
/// <param name="Role">Its role.</param>
/// <param name="Disabled">Whether it is disabled.</param>
/// <param name="Locked">Whether sign-in is locked for a while after failed attempts.</param>
public sealed record UserListItem(long Id, string Username, string Role, bool Disabled, bool Locked);
