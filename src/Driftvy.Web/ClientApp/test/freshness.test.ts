import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Formats } from "../src/shared/format";
import { ageText, freshness, ServerClock, staleNote } from "../src/shared/freshness";

const sv = new Formats("sv");
const en = new Formats("en");
const now = Date.UTC(2026, 9, 15, 8, 30); // 10:30 in Stockholm

describe("freshness", () => {
  test("freshness_NoData_Never", () => {
    const f = freshness(null, 30, now);
    assert.deepEqual(f, { kind: "never" });
    assert.equal(ageText(f, sv), "–");
    assert.equal(staleNote(f, sv), "⚠ Inga data har kommit");
  });
  test("freshness_WithinLimit_FreshWithAge", () => {
    const f = freshness(new Date(now - 12_000).toISOString(), 30, now);
    assert.equal(f.kind, "fresh");
    assert.equal(ageText(f, sv), "12 s sedan");
    assert.equal(staleNote(f, sv), null);
  });
  test("freshness_ExactlyAtLimit_StillFresh", () => {
    assert.equal(freshness(new Date(now - 30_000).toISOString(), 30, now).kind, "fresh");
    assert.equal(freshness(new Date(now - 30_001).toISOString(), 30, now).kind, "stale");
  });
  test("staleNote_StaleToday_TimeOnlyInStockholm", () => {
    const f = freshness("2026-10-15T07:05:00Z", 60, now);
    assert.equal(staleNote(f, sv), "⚠ Data saknas sedan 09:05");
    assert.equal(staleNote(f, en), "⚠ No data since 09:05");
  });
  test("staleNote_OlderThanTwentyHours_DateAndTime", () => {
    const f = freshness("2026-10-13T15:00:00Z", 60, now);
    assert.equal(staleNote(f, sv), "⚠ Data saknas sedan 13 okt. 17:00");
    assert.equal(ageText(f, sv), "41 h sedan");
  });
});

describe("ServerClock", () => {
  test("now_AfterSync_CorrectedByServerOffset", () => {
    let local = 1_000_000;
    const clock = new ServerClock(() => local);
    assert.equal(clock.now(), 1_000_000);
    clock.sync(new Date(1_000_000 + 90_000).toISOString());
    assert.equal(clock.now(), 1_090_000);
    local += 5_000;
    assert.equal(clock.now(), 1_095_000);
  });
  test("sync_NotATime_KeepsOffset", () => {
    const clock = new ServerClock(() => 0);
    clock.sync(5_000);
    clock.sync("not a time");
    assert.equal(clock.now(), 5_000);
  });
});
