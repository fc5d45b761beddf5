using System.Text.Json;
using Driftvy.Web.Dashboard;
using Microsoft.AspNetCore.SignalR.Client;

namespace Driftvy.Web.Tests.Support;

/// <summary>
/// A screen's view of its board on the hub, kept as the wall screen keeps it (ClientApp/src/shared/boardChange.ts):
/// whole snapshots replace what it holds; a change applies only on top of the push it follows, with every tile at the
/// version it names; a change that does not fit fetches the whole snapshot again. Every snapshot the screen ends up
/// with goes to the handler.
/// </summary>
internal sealed class BoardFeed
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    private readonly HubConnection _connection;
    private readonly string _boardId;
    private readonly Action<BoardSnapshot> _shown;
    private readonly Lock _gate = new();
    private BoardSnapshot? _held;
    private int _changes;
    private int _misfits;

    private BoardFeed(HubConnection connection, string boardId, Action<BoardSnapshot> shown) => (_connection, _boardId, _shown) = (connection, boardId, shown);

    /// <summary>Changes applied.</summary>
    public int Changes => Volatile.Read(ref _changes);

    /// <summary>Changes that did not fit (the whole snapshot was fetched again).</summary>
    public int Misfits => Volatile.Read(ref _misfits);

    /// <summary>Listens on <paramref name="connection"/> for pushes of <paramref name="boardId"/>; call <see cref="Hold"/> with what JoinBoard returns.</summary>
    public static BoardFeed On(HubConnection connection, string boardId, Action<BoardSnapshot> shown)
    {
        var feed = new BoardFeed(connection, boardId, shown);
        connection.On<BoardSnapshot>(nameof(IDashboardClient.BoardUpdated), s =>
        {
            if (s.BoardId == boardId)
            {
                feed.Hold(s);
            }
        });
        connection.On<BoardChange>(nameof(IDashboardClient.BoardChanged), feed.Change);
        return feed;
    }

    /// <summary>A whole snapshot (joined, pushed or fetched): held, and shown unless <paramref name="show"/> is false.</summary>
    public void Hold(BoardSnapshot snapshot, bool show = true)
    {
        lock (_gate)
        {
            _held = snapshot;
        }

        if (show)
        {
            _shown(snapshot);
        }
    }

    private async Task Change(BoardChange change)
    {
        BoardSnapshot? applied;
        lock (_gate)
        {
            if (_held is null || change.BoardId != _boardId)
            {
                return;
            }

            applied = Apply(_held, change);
            if (ReferenceEquals(applied, _held))
            {
                return;
            }

            if (applied is not null)
            {
                _held = applied;
                _changes++;
            }
        }

        if (applied is not null)
        {
            _shown(applied);
            return;
        }

        Interlocked.Increment(ref _misfits);
        Hold(await _connection.InvokeAsync<BoardSnapshot>("Snapshot", _boardId).ConfigureAwait(false));
    }

    /// <summary>The snapshot with the change applied; <paramref name="held"/> itself for an older push; null when it does not fit.</summary>
    public static BoardSnapshot? Apply(BoardSnapshot held, BoardChange change)
    {
        if (change.Seq <= held.Seq)
        {
            return held;
        }

        if (change.BaseSeq != held.Seq || change.BoardId != held.BoardId || change.Versions.Count != held.Tiles.Count)
        {
            return null;
        }

        var moved = change.Tiles.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var tiles = new List<BoardTile>(held.Tiles.Count);
        foreach (var tile in held.Tiles)
        {
            var version = held.Versions[tile.Id];
            if (!moved.TryGetValue(tile.Id, out var c))
            {
                if (change.Versions[tile.Id] != version)
                {
                    return null;
                }

                tiles.Add(tile);
                continue;
            }

            if (c.From != version)
            {
                return null;
            }

            var fields = JsonSerializer.SerializeToNode(tile, Wire)!.AsObject();
            foreach (var (name, value) in c.Set)
            {
                fields[name] = value?.DeepClone();
            }

            var next = fields.Deserialize<BoardTile>(Wire)!;
            if (c.IntradayFrom is { } from)
            {
                if (from > tile.Intraday.Count)
                {
                    return null;
                }

                next = next with { Intraday = [.. tile.Intraday.Take(from), .. c.Intraday!] };
            }

            tiles.Add(next);
        }

        return held with { Seq = change.Seq, GeneratedAt = change.GeneratedAt, State = change.State, Versions = change.Versions, Tiles = tiles };
    }
}
