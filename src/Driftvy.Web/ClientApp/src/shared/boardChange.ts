// Applying a BoardChanged push (Dashboard/BoardChange.cs): only on top of the push it follows, with every tile at the
// version the change names. Anything else (a missed push, a join that raced a push, another instance's push in
// between) means the screen's copy is not the one the change was computed from: it fetches the whole snapshot again.
import type { BoardChange, BoardSnapshot, BoardTile } from "./wire";

/** What a change does to the snapshot held: the new snapshot, nothing (an older push), or a fresh fetch needed. */
export type ChangeOutcome = { applied: BoardSnapshot } | "older" | "misfit";

export function applyChange(held: BoardSnapshot, change: BoardChange): ChangeOutcome {
  if (change.boardId !== held.boardId) { return "misfit"; }
  if (change.seq <= held.seq) { return "older"; }
  if (change.baseSeq !== held.seq) { return "misfit"; }
  const byId = new Map(change.tiles.map(t => [t.id, t]));
  const ids = Object.keys(change.versions);
  if (ids.length !== held.tiles.length) { return "misfit"; }
  const tiles: BoardTile[] = [];
  for (const tile of held.tiles) {
    const version = held.versions[tile.id];
    const moved = byId.get(tile.id);
    if (moved === undefined) {
      if (change.versions[tile.id] !== version) { return "misfit"; }
      tiles.push(tile);
      continue;
    }
    if (moved.from !== version) { return "misfit"; }
    const next: BoardTile = { ...tile, ...(moved.set as Partial<BoardTile>) };
    if (moved.intradayFrom !== null && moved.intraday !== null) {
      if (moved.intradayFrom > tile.intraday.length) { return "misfit"; }
      next.intraday = [...tile.intraday.slice(0, moved.intradayFrom), ...moved.intraday];
    }
    tiles.push(next);
  }
  return {
    applied: { ...held, seq: change.seq, generatedAt: change.generatedAt, state: change.state, versions: change.versions, tiles },
  };
}
