namespace Driftvy.Web.Security;

/// <summary>Security settings. Section <c>Security</c>. Secrets come from configuration or the environment, never the repository.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// Anyone may read (boards, steering view, reports, KPIs) without signing in; every change still needs a
    /// role. On for the embedded demo so the first run shows a live wall screen at once; turn it off in
    /// production, where TVs use display links (revocable display tokens) and people sign in.
    /// </summary>
    public bool AnonymousRead { get; set; } = true;

    /// <summary>Failed sign-ins with one user name from one client address before that pair must wait.</summary>
    public int LockoutAttempts { get; set; } = 5;

    /// <summary>How long the pair waits after its last failure.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in cookie lifetime (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>Longest a session lives from sign-in, however often it slid; then the user signs in again.</summary>
    public TimeSpan AbsoluteSessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Sign-in attempts allowed per client address and minute.</summary>
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>Ingestion requests allowed per API key and minute.</summary>
    public int IngestPerMinute { get; set; } = 600;

    /// <summary>Largest request body accepted (bytes); ingestion files larger than this are refused.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Addresses of the reverse proxies (TLS terminators, load balancers) whose <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c> are believed. Empty: no forwarded header is believed, from anyone.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>First administrator, created at start-up when no user exists (set through the environment).</summary>
    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();

    /// <summary>External identity provider (JWT bearer tokens). Off while <see cref="JwtOptions.Authority"/> is empty.</summary>
    public JwtOptions Jwt { get; set; } = new();

    internal static bool IsValid(SecurityOptions o) =>
        o.LockoutAttempts is >= 1 and <= 100 && o.LockoutDuration > TimeSpan.Zero && o.SessionLifetime > TimeSpan.Zero && o.AbsoluteSessionLifetime > TimeSpan.Zero &&
        o.SignInPerMinute >= 1 && o.IngestPerMinute >= 1 && o.MaxRequestBodyBytes >= 1024 &&
        (string.IsNullOrEmpty(o.BootstrapAdmin.Username) || o.BootstrapAdmin.Password.Length >= 12) &&
        o.KnownProxies.All(p => System.Net.IPAddress.TryParse(p, out _));
}

public sealed class BootstrapAdminOptions
{
    public string Username { get; set; } = "";

    /// <summary>At least 12 characters.</summary>
    public string Password { get; set; } = "";
}

public sealed class JwtOptions
{
    /// <summary>The identity provider's issuer URL (its OpenID configuration is read from there).</summary>
    public string Authority { get; set; } = "";

    public string Audience { get; set; } = "";

    /// <summary>The claim carrying group ids or names (Entra ID: <c>groups</c>).</summary>
    public string GroupClaim { get; set; } = "groups";

    /// <summary>Group → role, e.g. <c>"Driftvy-Admins": "admin"</c>.</summary>
    public Dictionary<string, string> GroupRoles { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
