import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BoardSession, type ConnectionBanner, hubErrorCode, hubErrors, isFinal, retryDelay } from "../src/shared/hub";
import type { BoardSnapshot } from "../src/shared/wire";
import { FakeHub, hubError, ManualTimers, settle } from "./fakes";

const snapshot = (boardId: string, n = 1): BoardSnapshot => ({ boardId, title: "T" + n } as unknown as BoardSnapshot);

function session(hub: FakeHub, timers: ManualTimers, boardId = "kontaktcenter") {
  const seen = { snapshots: [] as BoardSnapshot[], banners: [] as ConnectionBanner[], joined: 0 };
  const s = new BoardSession(hub, boardId, {
    snapshot: x => seen.snapshots.push(x),
    joined: () => { seen.joined++; },
    banner: b => seen.banners.push(b),
  }, timers);
  return { s, seen };
}

describe("hub errors", () => {
  test("hubErrorCode_ServerRefusal_Code", () => {
    assert.equal(hubErrorCode(hubError("unknown-board")), hubErrors.unknownBoard);
    assert.equal(hubErrorCode(hubError("display-token-refused")), hubErrors.displayTokenRefused);
    assert.equal(hubErrorCode(hubError("session-ended")), hubErrors.sessionEnded);
  });
  test("hubErrorCode_FailureWithoutCode_Null", () => {
    assert.equal(hubErrorCode(new Error("An unexpected error occurred invoking 'JoinBoard' on the server.")), null);
    assert.equal(hubErrorCode(new Error("HubException: something-else")), null);
    assert.equal(hubErrorCode(undefined), null);
  });
  test("isFinal_RefusalsOfLinkOrSession_TrueUnknownBoardAndTransient_False", () => {
    assert.equal(isFinal(hubErrors.displayTokenRefused), true);
    assert.equal(isFinal(hubErrors.displayTokenOtherBoard), true);
    assert.equal(isFinal(hubErrors.boardNotAllowed), true);
    assert.equal(isFinal(hubErrors.sessionEnded), true);
    assert.equal(isFinal(hubErrors.unknownBoard), false);
    assert.equal(isFinal(null), false);
  });
});

describe("retryDelay", () => {
  test("retryDelay_Attempts_DoublesFromOneSecondUpToThirty", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map(retryDelay), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
  test("retryDelay_ForEver_NeverGivesUpNorGrows", () => {
    assert.equal(retryDelay(10_000), 30000);
    assert.equal(retryDelay(-1), 1000);
  });
});

describe("BoardSession", () => {
  test("start_ConnectsAndJoins_SnapshotAndNoBanner", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.joinResults.push(snapshot("kontaktcenter"));
    const { s, seen } = session(hub, timers);
    await s.start();
    assert.deepEqual(hub.joins, ["JoinBoard:kontaktcenter"]);
    assert.equal(seen.snapshots.length, 1);
    assert.equal(seen.joined, 1);
    assert.deepEqual(seen.banners, [null]);
  });

  test("start_ServerDown_RetriesWithBackoffUntilItAnswers", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.startResults.push(new Error("down"), new Error("down"), new Error("down"));
    hub.joinResults.push(snapshot("kontaktcenter"));
    const { s, seen } = session(hub, timers);
    await s.start();
    assert.deepEqual(seen.banners, ["connecting"]);
    assert.deepEqual(timers.delays, [1000]);
    timers.runAll(); await settle();
    assert.deepEqual(timers.delays, [2000]);
    timers.runAll(); await settle();
    assert.deepEqual(timers.delays, [4000]);
    assert.deepEqual(seen.banners, ["connecting", "reconnecting", "reconnecting"]);
    timers.runAll(); await settle();
    assert.equal(hub.starts, 4);
    assert.equal(seen.snapshots.length, 1);
    assert.equal(timers.pending.size, 0);
  });

  test("join_TransientFailureWhileConnected_RetriedWithBackoff", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.joinResults.push(new Error("store timed out"), new Error("store timed out"), snapshot("kontaktcenter"));
    const { s, seen } = session(hub, timers);
    await s.start();
    assert.deepEqual(seen.banners, ["reconnecting"]);
    assert.deepEqual(timers.delays, [1000]);
    timers.runAll(); await settle();
    assert.deepEqual(timers.delays, [2000]);
    timers.runAll(); await settle();
    assert.equal(hub.joins.length, 3);
    assert.equal(seen.snapshots.length, 1);
    assert.equal(seen.banners.at(-1), null);
  });

  test("join_UnknownBoard_SaysSoAndKeepsTrying", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.joinResults.push(hubError("unknown-board"));
    const { s, seen } = session(hub, timers, "nya-tavlan");
    await s.start();
    assert.deepEqual(seen.banners, ["unknown-board"]);
    assert.equal(timers.pending.size, 1);
    assert.equal(s.isRefused, false);
  });

  test("join_DisplayTokenRefused_StopsForGood", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.joinResults.push(hubError("display-token-refused"));
    const { s, seen } = session(hub, timers);
    await s.start();
    await settle();
    assert.deepEqual(seen.banners, ["refused"]);
    assert.equal(s.isRefused, true);
    assert.equal(hub.stops, 1);
    assert.equal(timers.pending.size, 0);
    // The close that follows the stop does not start a new connection.
    hub.close();
    assert.equal(hub.starts, 1);
  });

  test("reconnected_AfterConnectionLost_RejoinsAndShowsFreshSnapshot", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.joinResults.push(snapshot("kontaktcenter", 1), snapshot("kontaktcenter", 2));
    const { s, seen } = session(hub, timers);
    await s.start();
    hub.loseConnection();
    assert.equal(seen.banners.at(-1), "reconnecting");
    hub.regainConnection();
    await settle();
    assert.equal(hub.joins.length, 2);
    assert.equal(seen.snapshots.length, 2);
    assert.equal(seen.banners.at(-1), null);
  });

  test("reconnecting_DuringJoinRetry_RetryCancelled", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.joinResults.push(new Error("transient"));
    const { s } = session(hub, timers);
    await s.start();
    assert.equal(timers.pending.size, 1);
    hub.loseConnection();
    assert.equal(timers.pending.size, 0);
  });

  test("close_AfterAutomaticReconnectGaveUp_StartsAgain", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.joinResults.push(snapshot("kontaktcenter", 1), snapshot("kontaktcenter", 2));
    const { s, seen } = session(hub, timers);
    await s.start();
    hub.close();
    await settle();
    assert.equal(hub.starts, 2);
    assert.equal(seen.snapshots.length, 2);
  });

  test("boardUpdated_OtherBoardOrAfterRefusal_Ignored", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.joinResults.push(snapshot("kontaktcenter", 1));
    const { s, seen } = session(hub, timers);
    await s.start();
    hub.push("BoardUpdated", snapshot("ekonomi"));
    hub.push("BoardUpdated", snapshot("kontaktcenter", 2));
    assert.deepEqual(seen.snapshots.map(x => x.title), ["T1", "T2"]);
    hub.push("DisplayRevoked");
    hub.push("BoardUpdated", snapshot("kontaktcenter", 3));
    assert.equal(seen.snapshots.length, 2);
    assert.equal(seen.banners.at(-1), "refused");
  });
});

describe("BoardSession changes", () => {
  const full = (seq: number, versions: Record<string, string>): BoardSnapshot =>
    ({ boardId: "kontaktcenter", seq, versions, generatedAt: "2026-11-23T10:00:00Z", state: "ready", tiles: [{ id: "a", waiting: 1, intraday: [] }] } as unknown as BoardSnapshot);
  const change = (seq: number, from: string, to: string, waiting: number) =>
    ({ boardId: "kontaktcenter", seq, baseSeq: seq - 1, generatedAt: "2026-11-23T10:00:01Z", state: "ready", versions: { a: to },
      tiles: [{ id: "a", from, to, set: { waiting }, intradayFrom: null, intraday: null }] });

  test("BoardChanged_FitsTheJoinedSnapshot_AppliedWithoutAsking", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.joinResults.push(full(3, { a: "v1" }));
    const { s, seen } = session(hub, timers);
    await s.start();
    hub.push("BoardChanged", change(4, "v1", "v2", 5));
    hub.push("BoardChanged", change(5, "v2", "v3", 6));
    assert.deepEqual(seen.snapshots.map(x => x.tiles[0]!.waiting), [1, 5, 6]);
    assert.deepEqual(hub.joins, ["JoinBoard:kontaktcenter"]);
  });
  test("BoardChanged_DoesNotFit_FetchesTheWholeSnapshotOnceThenAppliesTheNext", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.joinResults.push(full(3, { a: "v1" }), full(6, { a: "v6" }));
    const { s, seen } = session(hub, timers);
    await s.start();
    hub.push("BoardChanged", change(6, "v5", "v6", 9));
    hub.push("BoardChanged", change(6, "v5", "v6", 9));
    await settle();
    assert.deepEqual(hub.joins, ["JoinBoard:kontaktcenter", "Snapshot:kontaktcenter"]);
    hub.push("BoardChanged", change(7, "v6", "v7", 4));
    assert.deepEqual(seen.snapshots.map(x => x.seq), [3, 6, 7]);
    assert.equal(seen.snapshots.at(-1)!.tiles[0]!.waiting, 4);
  });
  test("BoardUpdated_Whole_ReplacesTheHeldSnapshot", async () => {
    const hub = new FakeHub();
    const timers = new ManualTimers();
    hub.joinResults.push(full(3, { a: "v1" }));
    const { s, seen } = session(hub, timers);
    await s.start();
    hub.push("BoardUpdated", full(1, { a: "w1" }));
    hub.push("BoardChanged", change(2, "w1", "w2", 8));
    assert.deepEqual(seen.snapshots.map(x => x.seq), [3, 1, 2]);
  });
});
