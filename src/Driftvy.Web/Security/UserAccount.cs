using Driftvy.Web.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Security;

/// <summary>A local account. The password is kept only as ASP.NET Core Identity's salted PBKDF2 hash.</summary>
public sealed class UserAccount
{
    public long Id { get; set; }

    public required string Username { get; set; }

    public required string PasswordHash { get; set; }

    public required string Role { get; set; }

    /// <summary>Queues and teams a team leader leads (comma-separated); empty = all.</summary>
    public string Scope { get; set; } = "";

    public int FailedSignIns { get; set; }

    public long? LockedUntilMs { get; set; }

    public long CreatedAtMs { get; set; }

    public bool Disabled { get; set; }

    /// <summary>
    /// Changes whenever the account's sessions must end (disabled, role or password changed, signed out); every
    /// session carries the stamp it was issued with and is refused once it differs.
    /// </summary>
    public string SecurityStamp { get; set; } = "";

    internal static string NewStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}

public enum SignInOutcome
{
    Success,
    WrongCredentials,
}

/// <summary>Local accounts: create, verify with lockout, change role.</summary>
public sealed class UserStore(IDbContextFactory<DriftvyDbContext> contexts, TimeProvider time)
{
    private readonly PasswordHasher<UserAccount> _hasher = new();

    public async Task<UserAccount> CreateAsync(string username, string password, string role, CancellationToken cancellationToken)
    {
        username = username?.Trim() ?? "";
        if (!IsValidUsername(username))
        {
            throw new ArgumentException("a user name is 1–64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit", nameof(username));
        }

        if (role is null || !Roles.IsValid(role))
        {
            throw new ArgumentException($"unknown role '{role}' (viewer, teamleader, admin)", nameof(role));
        }

        if (password is not { Length: >= 12 })
        {
            throw new ArgumentException("a password needs at least 12 characters", nameof(password));
        }

        await using (var check = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            // "ADMIN" beside "admin" would be two accounts a person cannot tell apart.
            // Compared here rather than in SQL, whose lower() knows only ASCII; the accounts are few.
            var names = await check.Users.AsNoTracking().Select(u => u.Username).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (names.Any(n => string.Equals(n, username, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"a user named '{username}' already exists (names are compared without regard to case)", nameof(username));
            }
        }

        var user = new UserAccount { Username = username, PasswordHash = "", Role = role, CreatedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(), SecurityStamp = UserAccount.NewStamp() };
        user.PasswordHash = _hasher.HashPassword(user, password);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>
    /// Names appear in the audit, on the admin page and in exports: no markup, no leading formula character, no
    /// control or invisible characters, and short enough to show.
    /// </summary>
    internal static bool IsValidUsername(string username) =>
        username.Length is >= 1 and <= 64 && char.IsLetterOrDigit(username[0]) &&
        username.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '@');

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Users.AnyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes a user's role; returns the user name and the old role, or null when there is no such user.</summary>
    public async Task<(string Username, string Role)?> SetRoleAsync(long id, string role, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var user = await db.Users.FindAsync([id], cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }

        var old = user.Role;
        user.Role = role;
        // A session keeps the role it signed in with; a new role needs a new session.
        user.SecurityStamp = UserAccount.NewStamp();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (user.Username, old);
    }

    /// <summary>Disables or enables an account (enabling also lifts a lockout); returns the user name and the old state, or null when there is no such user.</summary>
    public async Task<(string Username, bool Disabled)?> SetDisabledAsync(long id, bool disabled, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var user = await db.Users.FindAsync([id], cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }

        var old = user.Disabled;
        user.Disabled = disabled;
        user.SecurityStamp = UserAccount.NewStamp();
        if (!disabled)
        {
            user.FailedSignIns = 0;
            user.LockedUntilMs = null;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (user.Username, old);
    }

    /// <summary>Sets a new password and ends the account's sessions; returns the user name, or null when there is no such user.</summary>
    public async Task<string?> SetPasswordAsync(long id, string password, CancellationToken cancellationToken)
    {
        if (password is not { Length: >= 12 })
        {
            throw new ArgumentException("a password needs at least 12 characters", nameof(password));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var user = await db.Users.FindAsync([id], cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }

        user.PasswordHash = _hasher.HashPassword(user, password);
        user.SecurityStamp = UserAccount.NewStamp();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return user.Username;
    }

    /// <summary>Ends every session of the account (signing out): a copy of the cookie is worth nothing afterwards.</summary>
    public async Task EndSessionsAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var user = await db.Users.FindAsync([id], cancellationToken).ConfigureAwait(false);
        if (user is not null)
        {
            user.SecurityStamp = UserAccount.NewStamp();
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The account's current stamp, or null when it no longer exists or is disabled.</summary>
    public async Task<string?> CurrentStampAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Users.AsNoTracking().Where(u => u.Id == id && !u.Disabled).Select(u => u.SecurityStamp).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Users.AsNoTracking().OrderBy(u => u.Username).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a password. Unknown users get the same answer, after the same effort, as wrong passwords. Repeated
    /// failures are held back per name and address by <see cref="SignInThrottle"/>, not by locking the account:
    /// a lock on the account would let anyone keep its owner out.
    /// </summary>
    public async Task<(SignInOutcome Outcome, UserAccount? User)> VerifyAsync(string username, string password, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username.Trim(), cancellationToken).ConfigureAwait(false);
        if (user is null || user.Disabled)
        {
            // Spend the same effort as a real check so timing does not reveal which names exist.
            _hasher.VerifyHashedPassword(new UserAccount { Username = "", PasswordHash = "", Role = Roles.Viewer }, DummyHash, password);
            return (SignInOutcome.WrongCredentials, null);
        }

        var result = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            return (SignInOutcome.WrongCredentials, null);
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = _hasher.HashPassword(user, password);
        }

        user.FailedSignIns = 0;
        user.LockedUntilMs = null;
        if (user.SecurityStamp.Length == 0)
        {
            // An account from before stamps existed.
            user.SecurityStamp = UserAccount.NewStamp();
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (SignInOutcome.Success, user);
    }

    private static readonly string DummyHash = new PasswordHasher<UserAccount>().HashPassword(
        new UserAccount { Username = "", PasswordHash = "", Role = Roles.Viewer }, "not-a-real-password");
}
