using System.Diagnostics.Metrics;

namespace Driftvy.Web.Observability;

/// <summary>
/// The screens watching each board on this instance: a connection counts once per board it joined, until it leaves
/// that board or disconnects. A reconnecting screen is a new connection that joins again while the old one's
/// disconnect takes the old one off, so a reconnect never counts twice; joining the same board twice counts once.
/// </summary>
public sealed class ScreenCount
{
    private readonly Dictionary<string, HashSet<string>> _boardsByConnection = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Joined(string connectionId, string boardId)
    {
        lock (_gate)
        {
            if (!_boardsByConnection.TryGetValue(connectionId, out var boards))
            {
                _boardsByConnection[connectionId] = boards = new HashSet<string>(StringComparer.Ordinal);
            }

            boards.Add(boardId);
        }
    }

    public void Left(string connectionId, string boardId)
    {
        lock (_gate)
        {
            if (_boardsByConnection.TryGetValue(connectionId, out var boards) && boards.Remove(boardId) && boards.Count == 0)
            {
                _boardsByConnection.Remove(connectionId);
            }
        }
    }

    public void Disconnected(string connectionId)
    {
        lock (_gate)
        {
            _boardsByConnection.Remove(connectionId);
        }
    }

    /// <summary>Screens on this instance watching <paramref name="boardId"/>.</summary>
    public int On(string boardId)
    {
        lock (_gate)
        {
            return _boardsByConnection.Values.Count(b => b.Contains(boardId));
        }
    }

    /// <summary>Every board with its screen count (boards nobody watches are left out).</summary>
    public IReadOnlyDictionary<string, int> ByBoard()
    {
        lock (_gate)
        {
            return _boardsByConnection.Values.SelectMany(b => b)
                .GroupBy(b => b, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    internal IEnumerable<Measurement<int>> Measure() =>
        ByBoard().Select(b => new Measurement<int>(b.Value, new KeyValuePair<string, object?>("board", b.Key)));
}
