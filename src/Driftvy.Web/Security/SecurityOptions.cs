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

    /// <summary>
    /// A PKCS#12 file (<c>.pfx</c>) whose certificate encrypts the Data Protection keys at rest (the keys that seal
    /// sign-in cookies and antiforgery tokens, kept in the database): whoever reads the database then still cannot forge
    /// a session without the certificate's private key. Empty: the keys are stored as written (no encryption).
    /// </summary>
    public string KeyEncryptionCertificate { get; set; } = "";

    /// <summary>The password of <see cref="KeyEncryptionCertificate"/> (from the environment or a secret store).</summary>
    public string KeyEncryptionCertificatePassword { get; set; } = "";

    /// <summary>
    /// With <see cref="AnonymousRead"/> off (production), start even though no <see cref="KeyEncryptionCertificate"/> is
    /// set, keeping the keys unencrypted in the database. Off: such a start is refused.
    /// </summary>
    public bool AllowUnencryptedKeys { get; set; }

    /// <summary>Production (anonymous reading off) encrypts its keys at rest, or says in so many words that it does not.</summary>
    internal static bool KeysProtected(SecurityOptions o) => o.AnonymousRead || o.KeyEncryptionCertificate.Length > 0 || o.AllowUnencryptedKeys;

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
