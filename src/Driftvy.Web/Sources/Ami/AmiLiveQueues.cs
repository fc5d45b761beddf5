using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Driftvy.Web.Observability;
using Driftvy.Web.Sources.Ingestion;
using Driftvy.Web.Sources.Telephony;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Sources.Ami;

/// <summary>
/// Keeps a connection to the Asterisk Manager Interface: logs in, asks for QueueStatus and QueueSummary every poll
/// interval, follows the queue events between polls, pings when the line is quiet, and reconnects with a doubling wait
/// after a failure. Each change of a mapped queue's figures becomes a queue snapshot stored and shown through the one
/// ingestion path (<see cref="ImportService.StoreBuiltAsync"/>). The secret goes on the wire in the Login action only.
/// </summary>
internal sealed class AmiLiveQueues(
    ImportService imports, SourceHealth health, IOptions<AmiOptions> options, TimeProvider time, ILogger<AmiLiveQueues> logger) : BackgroundService
{
    private readonly AmiOptions _options = options.Value;
    private readonly AmiQueueState _state = new();
    private Dictionary<string, AmiQueueFigures> _published = new(StringComparer.Ordinal);
    private long _actions;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var connectedAt = time.GetUtcNow();
            try
            {
                await RunConnectionAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The message is the socket's or the server's; the secret is never part of either.
                health.RecordFailure(_options.Source, time.GetUtcNow(), $"AMI {_options.Host}:{_options.Port}: {ex.Message}");
                logger.LogWarning("AMI connection to {Host}:{Port} failed: {Message}; reconnecting in {Backoff}", _options.Host, _options.Port, ex.Message, backoff);
            }

            // A connection that lived a while starts the backoff over.
            if (time.GetUtcNow() - connectedAt > _options.MaxBackoff)
            {
                backoff = TimeSpan.FromSeconds(1);
            }

            await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    private async Task RunConnectionAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connect.CancelAfter(TimeSpan.FromSeconds(10));
            await client.ConnectAsync(_options.Host, _options.Port, connect.Token).ConfigureAwait(false);
        }

        var stream = client.GetStream();
        await using var _ = stream.ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var banner = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (banner is null || !banner.StartsWith("Asterisk Call Manager", StringComparison.Ordinal))
        {
            throw new IOException($"not an Asterisk Manager Interface (greeting '{banner}')");
        }

        var login = Next();
        await SendAsync(stream, AmiMessage.Action("Login", login, ("Username", _options.Username), ("Secret", _options.Secret), ("Events", "on")), cancellationToken).ConfigureAwait(false);
        var answer = await ReadResponseAsync(reader, login, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(answer.Response, "Success", StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"login refused: {answer["Message"]}");
        }

        logger.LogInformation("AMI: logged in to {Host}:{Port} ({Banner})", _options.Host, _options.Port, banner);
        var messages = Channel.CreateUnbounded<AmiMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => PumpAsync(reader, messages.Writer, stop.Token), CancellationToken.None);
        try
        {
            await LoopAsync(stream, messages.Reader, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            client.Close();
            try
            {
                await reading.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The connection is being dropped.
            }
        }
    }

    private async Task LoopAsync(Stream stream, ChannelReader<AmiMessage> messages, CancellationToken cancellationToken)
    {
        var nextPoll = time.GetUtcNow();
        var lastHeard = time.GetUtcNow();
        string? pingId = null;
        var listing = false;
        while (true)
        {
            var now = time.GetUtcNow();
            if (now >= nextPoll)
            {
                await SendAsync(stream, AmiMessage.Action("QueueStatus", Next()), cancellationToken).ConfigureAwait(false);
                await SendAsync(stream, AmiMessage.Action("QueueSummary", Next()), cancellationToken).ConfigureAwait(false);
                nextPoll = now + _options.PollInterval;
            }

            if (pingId is null && now - lastHeard >= _options.KeepAlive)
            {
                pingId = Next();
                await SendAsync(stream, AmiMessage.Action("Ping", pingId), cancellationToken).ConfigureAwait(false);
            }
            else if (pingId is not null && now - lastHeard >= _options.KeepAlive * 2)
            {
                throw new IOException($"no answer to a keep-alive Ping within {_options.KeepAlive}");
            }

            var wait = Min(nextPoll - now, _options.KeepAlive - (now - lastHeard));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(50), time, timeout.Token);
            var ready = messages.WaitToReadAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(ready, delay).ConfigureAwait(false) == ready)
            {
                await timeout.CancelAsync().ConfigureAwait(false);
                if (!await ready.ConfigureAwait(false))
                {
                    throw new IOException("the server closed the connection");
                }

                var changed = false;
                var listed = false;
                while (messages.TryRead(out var m))
                {
                    lastHeard = time.GetUtcNow();
                    if (m["ActionID"] == pingId)
                    {
                        pingId = null;
                    }

                    changed |= _state.Apply(m, lastHeard);
                    // A QueueStatus listing replaces a queue's state piece by piece: nothing is shown half-way through it.
                    listing = m.Event switch
                    {
                        "QueueParams" => true,
                        "QueueStatusComplete" => false,
                        _ => listing,
                    };
                    listed |= m.Event is "QueueStatusComplete" or "QueueSummaryComplete";
                }

                if ((changed || listed) && !listing)
                {
                    await PublishAsync(force: listed, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Stores the mapped queues' figures when they changed (or after a poll), as live snapshots.</summary>
    private async Task PublishAsync(bool force, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var figures = _state.Figures(now);
        var mapped = figures.Where(f => _options.Queues.ContainsKey(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        // The longest wait grows by itself; a change that matters is one of the counts (or a new poll).
        bool Same(AmiQueueFigures a, AmiQueueFigures b) => a with { LongestWaitSeconds = 0 } == b with { LongestWaitSeconds = 0 };
        if (!force && mapped.Count == _published.Count && mapped.All(m => _published.TryGetValue(m.Key, out var p) && Same(p, m.Value)))
        {
            return;
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        var units = await imports.UnitsAsync(cancellationToken).ConfigureAwait(false);
        var snapshots = new List<QueueSnapshot>();
        foreach (var (asterisk, f) in mapped)
        {
            // The mapped id is checked like any imported queue (Ingestion:UnknownUnits).
            var (queue, problem) = units.Resolve(UnitDirectory.QueueKind, _options.Queues[asterisk]);
            if (problem is not null)
            {
                health.RecordFailure(_options.Source, now, $"Sources:Ami:Queues:{asterisk}: {problem}");
                continue;
            }

            snapshots.Add(new QueueSnapshot(at, queue!, f.Waiting, f.LongestWaitSeconds, f.Available, f.Busy, f.Paused));
        }

        if (snapshots.Count == 0)
        {
            return;
        }

        var request = new ImportRequest(IngestKind.Snapshots, _options.Source, "ami") { Channel = "ami" };
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', snapshots))));
        using var span = DriftvyTracing.Poll("ami", _options.Source);
        try
        {
            await imports.StoreBuiltAsync(request, new BuiltImport([], snapshots, snapshots.Count, sha), units, cancellationToken).ConfigureAwait(false);
            span.Polled(snapshots.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            span.Failed(ex);
            throw;
        }

        _published = mapped;
    }

    private static async Task PumpAsync(StreamReader reader, ChannelWriter<AmiMessage> writer, CancellationToken cancellationToken)
    {
        try
        {
            while (await AmiMessage.ReadAsync(reader, cancellationToken).ConfigureAwait(false) is { } m)
            {
                await writer.WriteAsync(m, cancellationToken).ConfigureAwait(false);
            }

            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    private static async Task<AmiMessage> ReadResponseAsync(StreamReader reader, string actionId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (await AmiMessage.ReadAsync(reader, timeout.Token).ConfigureAwait(false) is { } m)
        {
            if (m.Response is not null && m["ActionID"] == actionId)
            {
                return m;
            }
        }

        throw new IOException("the server closed the connection before answering the login");
    }

    private static async Task SendAsync(Stream stream, string action, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(action), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private string Next() => "driftvy-" + Interlocked.Increment(ref _actions).ToString(CultureInfo.InvariantCulture);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
