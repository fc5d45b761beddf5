using Driftvy.Web.Infrastructure;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Alerts.State;

/// <summary>
/// The right to evaluate the alert rules, held by one instance at a time: a row in the facts database naming the
/// holder and until when. The holder renews it every third of its duration; when the holder stops it gives the lease
/// up, and when it dies the lease runs out and the next instance that asks takes it. It lives in the database, beside
/// the state and the notifications it guards, so one store decides all three, and a single instance on SQLite runs
/// the same way as a cluster on PostgreSQL, with or without Redis.
/// </summary>
internal sealed class AlertLease(
    IDbContextFactory<DriftvyDbContext> contexts, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertLease> logger)
{
    internal const string EvaluationLease = "alert-evaluation";

    private readonly Lock _gate = new();
    private DateTimeOffset _heldUntil = DateTimeOffset.MinValue;
    private bool _unreachable;

    /// <summary>The lease's row (one lease, the evaluation's, in the app).</summary>
    internal string Name { get; init; } = EvaluationLease;

    /// <summary>This instance's name in the lease (unique per process start).</summary>
    public string Holder { get; } = $"{Truncate(Environment.MachineName, 64)}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private TimeSpan Duration => options.Value.LeaseDuration;

    /// <summary>True while this instance holds the lease (as far as it last heard).</summary>
    public bool IsHeld
    {
        get
        {
            lock (_gate)
            {
                return time.GetUtcNow() < _heldUntil;
            }
        }
    }

    /// <summary>
    /// Whether this instance may evaluate now: true without a database round trip while at least two thirds of the
    /// lease are left, else after taking or renewing it.
    /// </summary>
    public async Task<bool> TryHoldAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_heldUntil - time.GetUtcNow() > Duration * 2 / 3)
            {
                return true;
            }
        }

        return await RenewAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes the lease if it is free or expired, or renews it if this instance holds it.</summary>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var until = now + Duration;
        bool held;
        try
        {
            held = await ClaimAsync(now, until, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database does not answer: a holder keeps evaluating (it is the one to raise "database unreachable");
            // nobody else can take the lease meanwhile. Once the database answers, the lease decides again.
            if (!_unreachable)
            {
                logger.LogWarning("Alert lease not renewed, the database does not answer: {Error}", ex.Message);
                _unreachable = true;
            }

            lock (_gate)
            {
                if (_heldUntil > now)
                {
                    _heldUntil = until;
                }

                return _heldUntil > now;
            }
        }

        _unreachable = false;
        lock (_gate)
        {
            var had = _heldUntil > now;
            _heldUntil = held ? until : DateTimeOffset.MinValue;
            if (held && !had)
            {
                logger.LogInformation("This instance now evaluates the alert rules ({Holder})", Holder);
            }
            else if (had && !held)
            {
                logger.LogInformation("Another instance evaluates the alert rules; {Holder} stands by", Holder);
            }
        }

        return held;
    }

    /// <summary>Gives the lease up so another instance takes over at once.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _heldUntil = DateTimeOffset.MinValue;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<AlertLeaseRow>().Where(l => l.Name == Name && l.Holder == Holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAtMs, 0L), cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ClaimAsync(DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var untilMs = until.ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // One conditional UPDATE: atomic on PostgreSQL and SQLite alike, so two instances never both succeed.
        var claimed = await db.Set<AlertLeaseRow>()
            .Where(l => l.Name == Name && (l.Holder == Holder || l.ExpiresAtMs <= nowMs))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, Holder).SetProperty(l => l.ExpiresAtMs, untilMs), cancellationToken)
            .ConfigureAwait(false);
        if (claimed == 1)
        {
            return true;
        }

        if (await db.Set<AlertLeaseRow>().AnyAsync(l => l.Name == Name, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        db.Add(new AlertLeaseRow { Name = Name, Holder = Holder, ExpiresAtMs = untilMs });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance created it first.
            return false;
        }
    }
}

/// <summary>Renews the alert lease every third of its duration, and gives it up when the host stops.</summary>
internal sealed class AlertLeaseKeeper(AlertLease lease, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertLeaseKeeper> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Periodic.RunAsync(
        options.Value.LeaseDuration / 3, time, lease.RenewAsync, ex => logger.LogWarning(ex, "Alert lease renewal failed"), stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await lease.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Alert lease not given up (it runs out instead): {Error}", ex.Message);
        }
    }
}
