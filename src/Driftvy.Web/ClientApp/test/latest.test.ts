import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LatestLoader } from "../src/shared/latest";

/** A load the test finishes by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void, reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}
const settle = async (): Promise<void> => { for (let i = 0; i < 10; i++) { await Promise.resolve(); } };

describe("LatestLoader", () => {
  test("request_WhileALoadRuns_NeverTwoAtOnce", async () => {
    let running = 0, most = 0;
    const gates: ReturnType<typeof deferred>[] = [];
    const loader = new LatestLoader<string>(async () => {
      running++; most = Math.max(most, running);
      const g = deferred(); gates.push(g);
      await g.promise;
      running--;
    });
    void loader.request("2026-10-15");
    void loader.request("2026-10-16");
    void loader.request("2026-10-17");
    await settle();
    assert.equal(gates.length, 1);
    gates[0]!.resolve(); await settle();
    assert.equal(gates.length, 2);
    gates[1]!.resolve(); await settle();
    assert.equal(most, 1);
    assert.equal(loader.busy, false);
  });

  test("request_SeveralDuringALoad_OnlyTheLatestRunsNext", async () => {
    const started: string[] = [];
    const gates: ReturnType<typeof deferred>[] = [];
    const loader = new LatestLoader<string>(async run => {
      started.push(run.request);
      const g = deferred(); gates.push(g);
      await g.promise;
    });
    void loader.request("a");
    void loader.request("b");
    void loader.request("c");
    await settle();
    gates[0]!.resolve(); await settle();
    gates[1]!.resolve(); await settle();
    assert.deepEqual(started, ["a", "c"]);
  });

  test("superseded_NewerRequestWaiting_TrueSoTheOldLoadShowsNothing", async () => {
    const shown: string[] = [];
    const gates: ReturnType<typeof deferred>[] = [];
    const loader = new LatestLoader<string>(async run => {
      const g = deferred(); gates.push(g);
      await g.promise;
      if (!run.superseded()) { shown.push(run.request); }
    });
    void loader.request("old");
    await settle();
    const done = loader.request("new");
    gates[0]!.resolve(); await settle();
    gates[1]!.resolve();
    await done;
    assert.deepEqual(shown, ["new"]);
  });

  test("request_LoadFails_ErrorReportedAndNextLoadStillRuns", async () => {
    const errors: unknown[] = [];
    const started: string[] = [];
    const loader = new LatestLoader<string>(async run => {
      started.push(run.request);
      if (run.request === "bad") { throw new Error("500"); }
    }, e => errors.push(e));
    await loader.request("bad");
    await loader.request("good");
    assert.deepEqual(started, ["bad", "good"]);
    assert.equal(errors.length, 1);
  });

  test("request_Idle_PromiseSettlesWhenTheLoadsAreDone", async () => {
    let finished = false;
    const loader = new LatestLoader<number>(async () => { await settle(); finished = true; });
    await loader.request(1);
    assert.equal(finished, true);
  });
});
