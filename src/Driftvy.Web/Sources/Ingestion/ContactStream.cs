using System.Threading.Channels;
using Driftvy.Domain.Contacts;
using Driftvy.Web.Sources.Ingestion.Formats;

namespace Driftvy.Web.Sources.Ingestion;

/// <summary>
/// Reads a contacts file on a task of its own and hands over its good rows in chunks while the store
/// writes the previous ones, so parsing and storing overlap on two cores. A contact repeated inside the
/// file (overlapping exports) is handed over once: the first wins. After the first row with an error no
/// more chunks are handed over, but the file is still read to the end so that every error is listed.
/// </summary>
internal sealed class ContactStream : IAsyncDisposable
{
    private const int ChunkSize = 20_000;

    private readonly Channel<IReadOnlyList<ContactRecord>> _chunks =
        System.Threading.Channels.Channel.CreateBounded<IReadOnlyList<ContactRecord>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });

    private readonly CancellationTokenSource _stop = new();
    private int _rows;
    private DateTimeOffset? _latestOffered;

    public ContactStream(string text, TextFormat format, UnitDirectory units, List<IngestError> errors) =>
        Completion = Task.Run(() => ReadAsync(text, format, units, errors, _stop.Token), CancellationToken.None);

    /// <summary>Done when the whole file has been read; the counts and the errors are final then.</summary>
    public Task Completion { get; }

    /// <summary>Data rows in the file, good or bad (final once <see cref="Completion"/> is done).</summary>
    public int Rows => Volatile.Read(ref _rows);

    /// <summary>The latest offer time in the file (final once <see cref="Completion"/> is done).</summary>
    public DateTimeOffset? LatestOffered => _latestOffered;

    public IAsyncEnumerable<IReadOnlyList<ContactRecord>> ReadAllAsync(CancellationToken cancellationToken) => _chunks.Reader.ReadAllAsync(cancellationToken);

    private async Task ReadAsync(string text, TextFormat format, UnitDirectory units, List<IngestError> errors, CancellationToken cancellationToken)
    {
        try
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var chunk = new List<ContactRecord>(ChunkSize);
            var rows = 0;
            foreach (var row in RecordParser.Rows(text, format, ContactFormat.Instance, units, errors))
            {
                rows++;
                if (row is not { } good)
                {
                    continue;
                }

                var c = good.Record;
                if (_latestOffered is not { } latest || c.OfferedAt > latest)
                {
                    _latestOffered = c.OfferedAt;
                }

                if (errors.Count == 0 && seen.Add(c.ContactId))
                {
                    chunk.Add(c);
                    if (chunk.Count == ChunkSize)
                    {
                        Volatile.Write(ref _rows, rows);
                        await _chunks.Writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                        chunk = new List<ContactRecord>(ChunkSize);
                    }
                }
                else if (rows % ChunkSize == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            Volatile.Write(ref _rows, rows);
            if (errors.Count == 0 && chunk.Count > 0)
            {
                await _chunks.Writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            }

            _chunks.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _chunks.Writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>Stops reading (the store gave up or finished) and waits for the reading task to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
        catch (Exception) when (Completion.IsFaulted)
        {
            // Already surfaced to the store through the channel.
        }

        _stop.Dispose();
    }
}
