using System.Diagnostics;
using System.Globalization;
using System.Text;
using Driftvy.Domain.Calendar;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Aggregates;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Sources.Telephony;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Sources.Simulator;

/// <summary>
/// A first run with a past: in <c>Demo</c> mode, into a database that holds no data of its own, Driftvy writes
/// <see cref="SimulatorOptions.HistoryMonths"/> months of simulated history ending yesterday, through the import
/// pipeline real data use (validated, stored with its durable tallies in one transaction per batch, audited as
/// batches of source <c>simulator</c>): the four phone queues in their opening hours with the year's seasons, and the
/// back office's cases, daily volumes and monthly staffing. Screens stay live meanwhile; a database that already
/// holds any real data is never touched.
/// </summary>
internal sealed class DemoHistory(
    ImportService imports,
    IDbContextFactory<DriftvyDbContext> contexts,
    AggregateStatus status,
    AggregateCatchUp catchUp,
    History.TallyHistory tallies,
    IOptions<SimulatorOptions> simulator,
    IOptions<TelephonyOptions> telephony,
    TimeProvider time,
    ILogger<DemoHistory> logger)
{
    public const string Source = "simulator";

    // Coarser than the live simulator's one-second tick: a year of four queues in seconds, not minutes.
    private static readonly TimeSpan HistoryTick = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource<long> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the contacts written once the start-up seeding has run (0 when there was nothing to do).</summary>
    public Task<long> Finished => _finished.Task;

    /// <summary>Runs <see cref="SeedIfEmptyAsync"/> and records its outcome in <see cref="Finished"/>.</summary>
    public async Task RunAtStartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _finished.TrySetResult(await SeedIfEmptyAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            _finished.TrySetException(ex);
            throw;
        }
    }

    /// <summary>Writes the history when it is wanted and the database has none of its own; returns the contacts written.</summary>
    public async Task<long> SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        var o = simulator.Value;
        if (o.Mode != SimulatorMode.Demo || o.HistoryMonths == 0 || !telephony.Value.Enabled)
        {
            return 0;
        }

        await status.WhenReady.WaitAsync(cancellationToken).ConfigureAwait(false);
        var today = StockholmTime.LocalDate(time.GetUtcNow());
        if (!await IsEmptyAsync(today, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var started = Stopwatch.GetTimestamp();
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-o.HistoryMonths);
        logger.LogInformation("Demo mode on an empty database: writing simulated history from {First:yyyy-MM-dd} to yesterday", first);
        long contacts = 0;
        for (var month = first; month < today; month = month.AddMonths(1))
        {
            var end = month.AddMonths(1) < today ? month.AddMonths(1) : today;
            var csv = ContactsCsv(o, month, end, out var count);
            await ImportAsync(IngestKind.Contacts, csv, $"history-{month:yyyy-MM}", cancellationToken).ConfigureAwait(false);
            contacts += count;
        }

        var backOffice = BackOfficeHistory.For(o.Seed, first, today);
        await ImportAsync(IngestKind.Staffing, backOffice.Staffing, "history-staffing", cancellationToken).ConfigureAwait(false);
        await ImportAsync(IngestKind.Volumes, backOffice.Volumes, "history-volumes", cancellationToken).ConfigureAwait(false);
        await ImportAsync(IngestKind.Cases, backOffice.Cases, "history-cases", cancellationToken).ConfigureAwait(false);

        // The hot store takes what it keeps (the recent weeks); screens read the closed days afresh.
        await catchUp.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        tallies.Forget();
        logger.LogInformation("Demo history written: {Contacts:N0} contacts and the back office from {First:yyyy-MM-dd} in {Seconds:0.0} s",
            contacts, first, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return contacts;
    }

    /// <summary>No data but the live simulator's today: no earlier contact, no contact from another source, no back office.</summary>
    private async Task<bool> IsEmptyAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var todayStart = StockholmTime.StartOfDayUtc(today).ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return !await db.Contacts.AnyAsync(c => c.OfferedAtMs < todayStart || c.Source != Source, cancellationToken).ConfigureAwait(false)
            && !await db.Cases.AnyAsync(cancellationToken).ConfigureAwait(false)
            && !await db.Volumes.AnyAsync(cancellationToken).ConfigureAwait(false)
            && !await db.Staffing.AnyAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ImportAsync(IngestKind kind, string csv, string origin, CancellationToken cancellationToken)
    {
        var request = new ImportRequest(kind, Source, origin) { Format = TextFormat.Csv, Channel = "simulator", Fold = false };
        var result = await imports.ImportAsync(request, Encoding.UTF8.GetBytes(csv), null, cancellationToken).ConfigureAwait(false);
        if (!result.Committed)
        {
            // The simulator's own rows are valid by construction: a refusal is a bug, said loudly.
            throw new InvalidOperationException($"Demo history {origin} was refused: {string.Join("; ", result.Errors.Take(5))}");
        }
    }

    /// <summary>Every queue's contacts over [from, toExclusive), simulated in opening-hours mode, as the import's CSV.</summary>
    internal static string ContactsCsv(SimulatorOptions options, DateOnly from, DateOnly toExclusive, out long count)
    {
        var sb = new StringBuilder("contact_id,channel,queue,offered_at,answered_at,abandoned_at,ended_at,resolved_first_contact,caller\n");
        var day = new List<ContactRecord>();
        count = 0;
        for (var d = from; d < toExclusive; d = d.AddDays(1))
        {
            foreach (var queue in options.Queues)
            {
                day.Clear();
                var simulation = new QueueSimulation(queue, SimulatorMode.OpeningHours, options.Seed, d);
                simulation.AdvanceTo(simulation.DayEnd, HistoryTick, day);
                foreach (var c in day)
                {
                    sb.Append(c.ContactId).Append(",phone,").Append(c.Queue).Append(',')
                        .Append(At(c.OfferedAt)).Append(',').Append(At(c.AnsweredAt)).Append(',').Append(At(c.AbandonedAt)).Append(',')
                        .Append(At(c.EndedAt)).Append(',').Append(c.ResolvedFirstContact switch { true => "true", false => "false", null => "" })
                        .Append(',').Append(c.CallerNumber).Append('\n');
                }

                count += day.Count;
            }
        }

        return sb.ToString();
    }

    private static string At(DateTimeOffset? t) => t is { } v ? v.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture) : "";
}

/// <summary>Starts <see cref="DemoHistory"/> once the host runs; the screens are live while it writes.</summary>
internal sealed class DemoHistoryService(DemoHistory history, ILogger<DemoHistoryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await history.RunAtStartAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: each month is its own all-or-nothing batch; the next start finds data and leaves it.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Writing the demo history failed");
        }
    }
}
