using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Security;

/// <summary>
/// Failed sign-ins counted per user name <em>and</em> client address, never per account alone. After
/// <c>Security:LockoutAttempts</c> failures that pair is refused for <c>Security:LockoutDuration</c>, whether the name
/// exists or not, so the answer says nothing about which names exist; and a stranger guessing from elsewhere
/// holds only their own address back, never the account's owner.
/// </summary>
/// <remarks>
/// Kept in memory per instance: guessing is still bounded per address (here and by the sign-in rate limit), and an
/// instance restart costs a guesser nothing they could not get by changing address. The table is bounded, so a
/// flood of made-up names cannot grow it without limit.
/// </remarks>
internal sealed class SignInThrottle(IOptionsMonitor<SecurityOptions> options, TimeProvider time)
{
    /// <summary>Most pairs remembered; past this, expired entries go first, then the oldest.</summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<(string Name, string Address), Entry> _failures = new();

    /// <summary>How long the pair is still refused; null when it may try.</summary>
    public TimeSpan? RefusedFor(string username, IPAddress? address)
    {
        if (!_failures.TryGetValue(Key(username, address), out var entry))
        {
            return null;
        }

        var o = options.CurrentValue;
        var left = entry.LastFailure + o.LockoutDuration - time.GetUtcNow();
        return entry.Count >= o.LockoutAttempts && left > TimeSpan.Zero ? left : null;
    }

    public void Failed(string username, IPAddress? address)
    {
        var now = time.GetUtcNow();
        var duration = options.CurrentValue.LockoutDuration;
        if (_failures.Count >= Capacity)
        {
            Trim(now, duration);
        }

        // A failure long after the last one starts the count again.
        _failures.AddOrUpdate(
            Key(username, address),
            _ => new Entry(1, now),
            (_, e) => now - e.LastFailure > duration ? new Entry(1, now) : new Entry(e.Count + 1, now));
    }

    public void Succeeded(string username, IPAddress? address) => _failures.TryRemove(Key(username, address), out _);

    private void Trim(DateTimeOffset now, TimeSpan duration)
    {
        foreach (var (key, entry) in _failures)
        {
            if (now - entry.LastFailure > duration)
            {
                _failures.TryRemove(key, out _);
            }
        }

        foreach (var (key, _) in _failures.OrderBy(e => e.Value.LastFailure).Take(Math.Max(0, _failures.Count - (Capacity * 9 / 10))).ToList())
        {
            _failures.TryRemove(key, out _);
        }
    }

    // Names are compared as sign-in finds them (trimmed; case-insensitively, so "Admin" and "admin" share a count).
    private static (string, string) Key(string username, IPAddress? address) =>
        (username.Trim().ToUpperInvariant(), address?.ToString() ?? "unknown");

    private sealed record Entry(int Count, DateTimeOffset LastFailure);
}
