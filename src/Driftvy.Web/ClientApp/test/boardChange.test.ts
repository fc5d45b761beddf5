import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { applyChange } from "../src/shared/boardChange";
import type { BoardChange, BoardSnapshot, BoardTile, IntradayPoint } from "../src/shared/wire";

const point = (hour: number, offered: number | null): IntradayPoint =>
  ({ start: `2026-11-23T${String(hour).padStart(2, "0")}:00:00+01:00`, offered, expected: 10, serviceLevel: offered === null ? null : 80 });

const tile = (id: string, extra: Partial<BoardTile> = {}): BoardTile =>
  ({ id, kind: "queue", title: "Kö " + id, value: 80, waiting: 2, dataAsOf: "2026-11-23T10:00:00Z", intraday: [point(8, 5), point(9, 7), point(10, null)], ...extra } as unknown as BoardTile);

const held = (): BoardSnapshot => ({
  boardId: "kontaktcenter", generatedAt: "2026-11-23T10:00:00Z", state: "ready", seq: 7,
  versions: { a: "va1", b: "vb1" }, tiles: [tile("a"), tile("b")],
} as unknown as BoardSnapshot);

const change = (extra: Partial<BoardChange> = {}): BoardChange => ({
  boardId: "kontaktcenter", seq: 8, baseSeq: 7, generatedAt: "2026-11-23T10:00:01Z", state: "ready",
  versions: { a: "va2", b: "vb1" },
  tiles: [{ id: "a", from: "va1", to: "va2", set: { waiting: 3, dataAsOf: "2026-11-23T10:00:01Z" } as never, intradayFrom: 2, intraday: [point(10, 4)] }],
  ...extra,
});

describe("applyChange", () => {
  test("applyChange_NextPushOnTheHeldOne_ChangedFieldsAndChartTailOnly", () => {
    const outcome = applyChange(held(), change());
    assert.notEqual(typeof outcome, "string");
    const s = (outcome as { applied: BoardSnapshot }).applied;
    assert.equal(s.seq, 8);
    assert.equal(s.generatedAt, "2026-11-23T10:00:01Z");
    assert.deepEqual(s.versions, { a: "va2", b: "vb1" });
    const [a, b] = s.tiles;
    assert.equal(a!.waiting, 3);
    assert.equal(a!.value, 80);
    assert.equal(a!.title, "Kö a");
    assert.deepEqual(a!.intraday.map(p => p.offered), [5, 7, 4]);
    assert.deepEqual(b, held().tiles[1]);
  });
  test("applyChange_FieldSetToNull_BecomesNull", () => {
    const c = change({ tiles: [{ id: "a", from: "va1", to: "va2", set: { value: null } as never, intradayFrom: null, intraday: null }] });
    const s = (applyChange(held(), c) as { applied: BoardSnapshot }).applied;
    assert.equal(s.tiles[0]!.value, null);
    assert.equal(s.tiles[0]!.intraday.length, 3);
  });
  test("applyChange_OlderOrSamePush_Older", () => {
    assert.equal(applyChange(held(), change({ seq: 7, baseSeq: 6 })), "older");
    assert.equal(applyChange(held(), change({ seq: 5, baseSeq: 4 })), "older");
  });
  test("applyChange_PushInBetweenMissed_Misfit", () => {
    assert.equal(applyChange(held(), change({ seq: 9, baseSeq: 8 })), "misfit");
  });
  test("applyChange_TileNotAtTheVersionTheChangeStartsFrom_Misfit", () => {
    const c = change();
    c.tiles[0]!.from = "va0";
    assert.equal(applyChange(held(), c), "misfit");
  });
  test("applyChange_UnchangedTileAtAnotherVersion_Misfit", () => {
    assert.equal(applyChange(held(), change({ versions: { a: "va2", b: "vb2" } })), "misfit");
  });
  test("applyChange_OtherTileSetOrBoard_Misfit", () => {
    assert.equal(applyChange(held(), change({ versions: { a: "va2", b: "vb1", c: "vc1" } })), "misfit");
    assert.equal(applyChange(held(), change({ boardId: "aldre-direkt" })), "misfit");
  });
  test("applyChange_ChartTailBeyondTheHeldChart_Misfit", () => {
    const c = change();
    c.tiles[0]!.intradayFrom = 5;
    assert.equal(applyChange(held(), c), "misfit");
  });
  test("applyChange_HeldSnapshotNotModified", () => {
    const h = held();
    applyChange(h, change());
    assert.deepEqual(h, held());
  });
});
