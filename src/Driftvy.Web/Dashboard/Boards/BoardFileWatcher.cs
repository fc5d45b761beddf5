using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Dashboard.Boards;

/// <summary>
/// Reloads the boards when a file in the dashboards folder changes, then pushes fresh snapshots so the
/// screens pick up the new layout without a restart. A bad file is logged and its old board kept.
/// </summary>
internal sealed class BoardFileWatcher(
    BoardCatalog catalog,
    IDashboardNotifier notifier,
    IOptions<DashboardOptions> options,
    TimeProvider time,
    ILogger<BoardFileWatcher> logger) : BackgroundService
{
    // Editors write a file in several steps; wait for them to finish before reading it.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WatchForChanges || catalog.Directory is not { } directory)
        {
            return;
        }

        var signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var watcher = new FileSystemWatcher(directory, "*.json")
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        FileSystemEventHandler changed = (_, _) => signal.Writer.TryWrite(true);
        watcher.Changed += changed;
        watcher.Created += changed;
        watcher.Deleted += changed;
        watcher.Renamed += (_, _) => signal.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;

        while (await signal.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            await Task.Delay(Settle, time, stoppingToken).ConfigureAwait(false);
            while (signal.Reader.TryRead(out _))
            {
            }

            try
            {
                var rejected = catalog.Reload();
                foreach (var ex in rejected)
                {
                    logger.LogError("Board file rejected, the board it defined before is kept: {Message}", ex.Message);
                }

                logger.LogInformation("Boards reloaded from {Directory}: {Boards}", directory, string.Join(", ", catalog.All.Select(b => b.Id)));
                await notifier.PublishAllAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Reloading the boards failed; the boards in use are kept");
            }
        }
    }
}
