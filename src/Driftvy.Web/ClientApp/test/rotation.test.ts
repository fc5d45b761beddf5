import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { keepPage, nextPage, pageDots, Rotation, rotationDelay } from "../src/shared/rotation";

describe("rotation", () => {
  test("nextPage_LastPage_WrapsToFirst", () => {
    assert.equal(nextPage(0, 3), 1);
    assert.equal(nextPage(2, 3), 0);
    assert.equal(nextPage(0, 1), 0);
    assert.equal(nextPage(0, 0), 0);
  });
  test("keepPage_LayoutShrank_LastPage", () => {
    assert.equal(keepPage(2, 3), 2);
    assert.equal(keepPage(4, 2), 1);
    assert.equal(keepPage(0, 0), 0);
  });
  test("rotationDelay_OnePage_NoRotation", () => {
    assert.equal(rotationDelay([{ rotationSeconds: 20 }], 0), null);
  });
  test("rotationDelay_PagesOwnSeconds_Milliseconds", () => {
    const pages = [{ rotationSeconds: 20 }, { rotationSeconds: 45 }];
    assert.equal(rotationDelay(pages, 0), 20_000);
    assert.equal(rotationDelay(pages, 1), 45_000);
  });
  test("rotationDelay_NoSensibleTime_ThirtySecondsNotASpin", () => {
    assert.equal(rotationDelay([{ rotationSeconds: 0 }, { rotationSeconds: 10 }], 0), 30_000);
  });
  test("pageDots_CurrentFilled", () => {
    assert.equal(pageDots(3, 1), "○ ● ○");
    assert.equal(pageDots(1, 0), "");
  });
  test("Rotation_ShowPage_ShowsEachPageForItsTimeInTurn", () => {
    const pages = [{ rotationSeconds: 10 }, { rotationSeconds: 20 }, { rotationSeconds: 5 }];
    const shown: number[] = [];
    const timers: { f: () => void; ms: number }[] = [];
    const rotation = new Rotation(() => pages, i => shown.push(i), {
      set: (f, ms) => { timers.push({ f, ms }); return timers.length as unknown as ReturnType<typeof setTimeout>; },
      clear: () => {},
    });
    rotation.showPage(0);
    for (let i = 0; i < 4; i++) { timers.at(-1)!.f(); }
    assert.deepEqual(shown, [0, 1, 2, 0, 1]);
    assert.deepEqual(timers.map(t => t.ms), [10_000, 20_000, 5_000, 10_000, 20_000]);
  });
  test("Rotation_ShowPageAgain_CancelsThePendingTurn", () => {
    const cleared: unknown[] = [];
    let id = 0;
    const rotation = new Rotation(() => [{ rotationSeconds: 10 }, { rotationSeconds: 10 }], () => {}, {
      set: () => (++id) as unknown as ReturnType<typeof setTimeout>,
      clear: t => { cleared.push(t); },
    });
    rotation.showPage(0);
    rotation.showPage(1);
    assert.deepEqual(cleared, [1]);
    assert.equal(rotation.current, 1);
  });
});
