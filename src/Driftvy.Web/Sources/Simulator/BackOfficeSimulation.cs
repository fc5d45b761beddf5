using System.Text;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace Driftvy.Web.Sources.Simulator;

/// <summary>
/// The demo back office's working day: every <see cref="SimulatorOptions.BackOfficeEvery"/>, today's cases, volumes and
/// staffing as they stand now (<see cref="BackOfficeHistory.Today"/>) come in through the same import as a polled case or
/// finance system, as source <c>simulator</c>: opened cases appear, cases close, the day's invoices and payslips grow.
/// Only in <c>Demo</c> mode with history wanted, after the history is written, and never once the database holds
/// back-office data of any other source: simulated data never mixes with real data.
/// </summary>
internal sealed class BackOfficeSimulation(
    ImportService imports,
    DemoHistory history,
    IDbContextFactory<DriftvyDbContext> contexts,
    IOptions<SimulatorOptions> simulator,
    IOptions<Telephony.TelephonyOptions> telephony,
    TimeProvider time) : IDisposable
{
    // One step at a time: the scheduled step and one asked for by hand never import the same rows side by side.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Imports the day so far; returns the rows that were new or changed (0 when it does not run).</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await StepAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<int> StepAsync(CancellationToken cancellationToken)
    {
        var o = simulator.Value;
        if (o.Mode != SimulatorMode.Demo || o.HistoryMonths == 0 || !telephony.Value.Enabled)
        {
            return 0;
        }

        await history.Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (await HoldsRealBackOfficeAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var day = BackOfficeHistory.Today(o.Seed, time.GetUtcNow());
        var changed = 0;
        foreach (var (kind, csv) in new[] { (IngestKind.Staffing, day.Staffing), (IngestKind.Volumes, day.Volumes), (IngestKind.Cases, day.Cases) })
        {
            if (csv.AsSpan().Count('\n') <= 1)
            {
                continue;
            }

            var request = new ImportRequest(kind, DemoHistory.Source, "simulated-day") { Format = TextFormat.Csv, Channel = "simulator" };
            var result = await imports.ImportAsync(request, Encoding.UTF8.GetBytes(csv), null, cancellationToken).ConfigureAwait(false);
            if (!result.Committed)
            {
                // The simulator's own rows are valid by construction: a refusal is a bug, said loudly.
                throw new InvalidOperationException($"The simulated back office was refused: {string.Join("; ", result.Errors.Take(5))}");
            }

            changed += result.Accepted + result.Updated;
        }

        return changed;
    }

    private async Task<bool> HoldsRealBackOfficeAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Cases.AnyAsync(c => c.Source != DemoHistory.Source, cancellationToken).ConfigureAwait(false)
            || await db.Volumes.AnyAsync(v => v.Source != DemoHistory.Source, cancellationToken).ConfigureAwait(false)
            || await db.Staffing.AnyAsync(s => s.Source != DemoHistory.Source, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Quartz adapter: one step of the simulated back office's day per firing.</summary>
[DisallowConcurrentExecution]
internal sealed class BackOfficeSimulationJob(BackOfficeSimulation simulation, ILogger<BackOfficeSimulationJob> logger) : IJob
{
    public static readonly JobKey Key = new("back-office-simulation", "sources");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await simulation.PollOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The simulated back office failed; retried at the next firing");
        }
    }
}
