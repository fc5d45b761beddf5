using Driftvy.Domain.Calendar;
using Driftvy.Web.Kpis;
using Driftvy.Web.Storage;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Quartz;

namespace Driftvy.Web.Reports.Digest;

/// <summary>
/// A digest day claimed and sent (table <c>report_digests</c>): one row per covered day, inserted before sending, so a
/// digest goes out once however many instances run the job and however often it fires.
/// </summary>
public sealed class DigestRow
{
    /// <summary>The covered day, <c>yyyy-MM-dd</c>.</summary>
    public required string Day { get; set; }

    public required string ClaimedBy { get; set; }

    public long ClaimedAtMs { get; set; }

    public long? SentAtMs { get; set; }

    /// <summary>Who it went to, comma-separated.</summary>
    public string? Recipients { get; set; }

    internal static void Configure(ModelBuilder modelBuilder)
    {
        var d = modelBuilder.Entity<DigestRow>();
        d.ToTable("report_digests");
        d.HasKey(x => x.Day).HasName("pk_report_digests");
        d.Property(x => x.Day).HasColumnName("day").HasMaxLength(10);
        d.Property(x => x.ClaimedBy).HasColumnName("claimed_by").HasMaxLength(128);
        d.Property(x => x.ClaimedAtMs).HasColumnName("claimed_at_ms");
        d.Property(x => x.SentAtMs).HasColumnName("sent_at_ms");
        d.Property(x => x.Recipients).HasColumnName("recipients").HasMaxLength(2000);
    }
}

/// <summary>
/// Sends the morning digest: on a Stockholm working day from <see cref="DigestOptions.At"/>, the previous working day's
/// digest, once. The job fires every few minutes; this decides, by the domain's embedded Stockholm rules rather than
/// the host's tzdata, whether one is due, and claims the day in the database before sending.
/// </summary>
internal sealed class DigestRunner(
    DigestService digests,
    IDbContextFactory<DriftvyDbContext> contexts,
    KpiSetup kpis,
    IOptions<DigestOptions> options,
    TimeProvider time,
    ILogger<DigestRunner> logger)
{
    /// <summary>How often the job asks whether the digest is due.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(5);

    /// <summary>A claim older than this whose digest was never marked sent (its instance died) is taken over.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(30);

    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>The day whose digest this call sent, or null when none was due (or another instance sent it).</summary>
    public async Task<DateOnly?> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var local = StockholmTime.LocalDateTime(now);
        var today = new DateOnly(local.Year, local.Month, local.Day);
        if (!kpis.Calendar.IsWorkingDay(today) || new TimeSpan(local.Hour, local.Minute, local.Second) < o.At)
        {
            return null;
        }

        var day = DigestService.CoveredDay(today, kpis.Calendar);
        if (!await ClaimAsync(day, now, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            var digest = await digests.BuildAsync(day, cancellationToken).ConfigureAwait(false);
            await SendAsync(digest, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Not sent: give the day back, so the next firing (on any instance) tries again.
            await ReleaseAsync(day, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await MarkSentAsync(day, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Steering digest for {Day} sent to {Count} recipient(s)", day, o.Recipients.Count);
        return day;
    }

    /// <summary>Sends a digest to the configured recipients.</summary>
    public async Task SendAsync(DigestDocument digest, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var message = DigestService.ToMessage(digest, MailboxAddress.Parse(o.From), o.Recipients.Select(MailboxAddress.Parse));
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(o.SmtpHost, o.SmtpPort, SecureSocketOptions.StartTlsWhenAvailable, cancellationToken).ConfigureAwait(false);
        await smtp.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await smtp.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
    }

    private static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<bool> ClaimAsync(DateOnly day, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = Key(day);
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Set<DigestRow>().AsNoTracking().AnyAsync(r => r.Day == key, cancellationToken).ConfigureAwait(false))
        {
            // Taken over only when its claim ran out unsent (the instance that claimed it died).
            var staleBefore = (now - ClaimFor).ToUnixTimeMilliseconds();
            return await db.Set<DigestRow>()
                .Where(r => r.Day == key && r.SentAtMs == null && r.ClaimedAtMs < staleBefore)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.ClaimedBy, _instance).SetProperty(r => r.ClaimedAtMs, nowMs), cancellationToken)
                .ConfigureAwait(false) == 1;
        }

        db.Add(new DigestRow { Day = key, ClaimedBy = _instance, ClaimedAtMs = nowMs, Recipients = string.Join(',', options.Value.Recipients) });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance claimed the day first.
            return false;
        }
    }

    private async Task MarkSentAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var key = Key(day);
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<DigestRow>().Where(r => r.Day == key && r.ClaimedBy == _instance)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.SentAtMs, at), cancellationToken).ConfigureAwait(false);
    }

    private async Task ReleaseAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var key = Key(day);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await db.Set<DigestRow>().Where(r => r.Day == key && r.ClaimedBy == _instance && r.SentAtMs == null)
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Digest claim for {Day} not released ({Error}); it is taken over after {ClaimFor}", day, ex.Message, ClaimFor);
        }
    }
}

/// <summary>Thin Quartz adapter: fires every few minutes; the runner decides whether the digest is due.</summary>
[DisallowConcurrentExecution]
internal sealed class DigestJob(DigestRunner runner, ILogger<DigestJob> logger) : IJob
{
    public static readonly JobKey Key = new("steering-digest", "reports");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Logged, not thrown: the next firing tries again while the day's digest is unsent.
            logger.LogError(e, "The steering digest could not be sent");
        }
    }
}
