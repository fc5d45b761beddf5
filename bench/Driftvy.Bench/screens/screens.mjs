// Simulated wall screens for the screens benchmark (run by `Driftvy.Bench screens`, not by hand as a rule):
//   node screens.mjs --url http://127.0.0.1:5080 --mode signalr|bare --count 1000 --warmup 5 --seconds 20 [--workers 2]
// signalr: the official client (@microsoft/signalr), WebSockets without negotiation, JoinBoard, then BoardUpdated (whole)
//          and BoardChanged (what changed), applied as the wall screen applies them; one that does not fit fetches
//          the board whole again (Snapshot), as the screen does.
// bare:    a plain WebSocket to the bare broadcast endpoint, one JSON snapshot per message.
// Every screen parses every message it gets, as a wall screen must. The screens are spread over worker threads (one
// JavaScript thread would otherwise queue every screen's message behind the others'). Prints "connected …", then
// "measuring" when the measured window starts, "measured" when it ends, and one JSON line with the figures.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const options = isMainThread
  ? Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []))
  : workerData;
const url = options.url;
const mode = options.mode ?? "signalr";
const board = options.board ?? "kontaktcenter";

if (isMainThread) {
  await main();
} else {
  await screens();
}

async function main() {
  const count = Number(options.count ?? 1000);
  const warmupSeconds = Number(options.warmup ?? 5);
  const seconds = Number(options.seconds ?? 20);
  const graceSeconds = Number(options.grace ?? 5);
  const workers = Math.max(1, Math.min(Number(options.workers ?? 2), count));
  const inFlight = Number(options.parallel ?? 100);
  const started = Date.now();
  const threads = Array.from({ length: workers }, (_, w) => {
    const share = Math.floor(count / workers) + (w < count % workers ? 1 : 0);
    return new Worker(new URL(import.meta.url), { workerData: { url, mode, board, count: share, parallel: Math.ceil(inFlight / workers) } });
  });
  const reply = (type) => Promise.all(threads.map((t) => new Promise((resolve) => {
    const on = (m) => { if (m.type === type) { t.off("message", on); resolve(m); } };
    t.on("message", on);
  })));
  const connected = await reply("connected");
  console.log(`connected ${connected.reduce((n, m) => n + m.connected, 0)} of ${count} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Warm-up: the given time, and at least until the board is being pushed (a fresh instance's first polls fold the
  // whole day so far), at most two minutes.
  let sawPush = false;
  for (const t of threads) t.on("message", (m) => { if (m.type === "push") sawPush = true; });
  const warmupStarted = Date.now();
  await new Promise((r) => setTimeout(r, warmupSeconds * 1000));
  while (!sawPush && Date.now() - warmupStarted < 120_000) await new Promise((r) => setTimeout(r, 200));

  const cpuBefore = process.cpuUsage();
  const windowStart = Date.now();
  for (const t of threads) t.postMessage({ type: "measure", windowStart });
  console.log("measuring");
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const windowEnd = Date.now();
  for (const t of threads) t.postMessage({ type: "window-end", windowEnd });
  const cpu = process.cpuUsage(cpuBefore);
  console.log("measured");
  await new Promise((r) => setTimeout(r, graceSeconds * 1000));
  const report = reply("report");
  for (const t of threads) t.postMessage({ type: "report" });
  const parts = await report;

  const sum = (name) => parts.reduce((n, p) => n + p[name], 0);
  const delays = parts.flatMap((p) => p.delays).sort((a, b) => a - b);
  const generated = new Set(parts.flatMap((p) => p.generated));
  const elapsed = (windowEnd - windowStart) / 1000;
  const screensUp = sum("connected");
  const deliveries = sum("deliveries");
  const percentile = (p) => (delays.length === 0 ? null : delays[Math.min(delays.length - 1, Math.ceil((p / 100) * delays.length) - 1)]);
  const firstError = parts.map((p) => p.firstError).find((e) => e) ?? null;
  console.log(JSON.stringify({
    mode, count, workers, connected: screensUp, failed: sum("failed"), firstError, joinRetries: sum("joinRetries"), connectRetries: sum("connectRetries"),
    uncaught: sum("uncaught"), lost: sum("lost"), silent: sum("silent"), seconds: elapsed, deliveries, pushes: generated.size,
    perScreenPerSecond: screensUp === 0 ? 0 : deliveries / screensUp / elapsed,
    pushesPerSecond: generated.size / elapsed,
    completeness: screensUp === 0 || generated.size === 0 ? 0 : deliveries / screensUp / generated.size,
    p50: percentile(50), p90: percentile(90), p99: percentile(99), max: delays.length === 0 ? null : delays[delays.length - 1],
    meanBytes: deliveries === 0 ? 0 : sum("bytes") / deliveries,
    wholes: sum("wholes"), changes: sum("changes"), misfits: sum("misfits"),
    // The worker threads run in this process: its CPU time is all of the client's.
    clientCpu: (cpu.user + cpu.system) / 1e6 / elapsed,
  }));
  await Promise.all(threads.map((t) => t.terminate()));
  process.exit(0);
}

async function screens() {
  const signalR = mode === "bare" ? null : await import("@microsoft/signalr");
  const { default: WebSocket } = mode === "bare" ? await import("ws") : { default: null };
  const count = options.count;
  // The measured window is by build time: every snapshot built in [windowStart, windowEnd) counts, with a grace
  // period after the window for the late ones, so a slow delivery is counted late rather than not at all.
  let windowStart = Infinity;
  let windowEnd = Infinity;
  let measuring = false;
  const figures = { deliveries: 0, bytes: 0, lost: 0, wholes: 0, changes: 0, misfits: 0, failed: 0, joinRetries: 0, connectRetries: 0, uncaught: 0 };
  let sawPush = false;
  const delays = [];
  const generated = new Set();
  const perScreen = new Uint32Array(count);
  // Every screen gets the same message: its size is measured once.
  const sizes = new Map();
  const sizeOf = (key, message) => {
    let size = sizes.get(key);
    if (size === undefined) {
      size = JSON.stringify(message).length;
      sizes.set(key, size);
    }
    return size;
  };

  function received(screen, generatedAt, size) {
    if (!sawPush) {
      sawPush = true;
      parentPort.postMessage({ type: "push" });
    }
    const built = Date.parse(generatedAt);
    if (!(built >= windowStart && built < windowEnd)) return;
    figures.deliveries++;
    perScreen[screen]++;
    figures.bytes += size;
    delays.push(Date.now() - built);
    generated.add(generatedAt);
  }

  // The wall screen's rule (ClientApp/src/shared/boardChange.ts), in plain JavaScript: a change applies only on top
  // of the push it follows, with every tile at the version it names.
  function applyChange(held, change) {
    if (change.seq <= held.seq) return "older";
    if (change.baseSeq !== held.seq || Object.keys(change.versions).length !== held.tiles.length) return "misfit";
    const moved = new Map(change.tiles.map((t) => [t.id, t]));
    const tiles = [];
    for (const tile of held.tiles) {
      const version = held.versions[tile.id];
      const c = moved.get(tile.id);
      if (c === undefined) {
        if (change.versions[tile.id] !== version) return "misfit";
        tiles.push(tile);
        continue;
      }
      if (c.from !== version) return "misfit";
      const next = { ...tile, ...c.set };
      if (c.intradayFrom !== null) next.intraday = [...tile.intraday.slice(0, c.intradayFrom), ...c.intraday];
      tiles.push(next);
    }
    return { ...held, seq: change.seq, generatedAt: change.generatedAt, state: change.state, versions: change.versions, tiles };
  }

  async function openSignalR(screen) {
    const connection = new signalR.HubConnectionBuilder()
      .withUrl(`${url}/hubs/dashboard`, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
      .configureLogging(signalR.LogLevel.None)
      .build();
    // A loaded machine may hold a ping back for a while; the benchmark counts late deliveries, not dropped screens.
    connection.serverTimeoutInMilliseconds = 120_000;
    let held = null;
    let fetching = false;
    connection.on("BoardUpdated", (snapshot) => {
      held = snapshot;
      if (measuring) figures.wholes++;
      received(screen, snapshot.generatedAt, sizeOf("whole " + snapshot.seq + snapshot.generatedAt, snapshot));
    });
    connection.on("BoardChanged", (change) => {
      if (held === null || fetching) return;
      const outcome = applyChange(held, change);
      if (outcome === "older") return;
      if (outcome === "misfit") {
        if (measuring) figures.misfits++;
        fetching = true;
        connection.invoke("Snapshot", board).then((s) => { held = s; }, () => {}).finally(() => { fetching = false; });
        return;
      }
      held = outcome;
      if (measuring) figures.changes++;
      received(screen, change.generatedAt, sizeOf("change " + change.seq + change.generatedAt, change));
    });
    connection.onclose(() => { if (measuring) figures.lost++; });
    await connection.start();
    // Like the wall screen: a failed join (a transient store error under load) is retried with backoff.
    for (let attempt = 1; ; attempt++) {
      try {
        held = await connection.invoke("JoinBoard", board);
        break;
      } catch (error) {
        if (attempt >= 8) {
          await connection.stop();
          throw error;
        }
        figures.joinRetries++;
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
    return () => connection.stop();
  }

  function openBare(screen) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${url.replace(/^http/, "ws")}/bare`, { perMessageDeflate: false });
      socket.on("message", (data) => {
        const snapshot = JSON.parse(data.toString("utf8"));
        received(screen, snapshot.generatedAt, data.length);
      });
      socket.on("close", () => { if (measuring) figures.lost++; });
      socket.once("open", () => resolve(() => socket.close()));
      socket.once("error", reject);
    });
  }

  const openOnce = mode === "bare" ? openBare : openSignalR;
  // Like the wall screen, a screen whose connection fails (a handshake that timed out on a busy server) tries again.
  async function open(screen) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await openOnce(screen);
      } catch (error) {
        if (attempt >= 5) throw error;
        figures.connectRetries++;
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  }

  // The SignalR client can throw from a socket callback when a handshake is cancelled while it is still connecting
  // (the connection's start() has already failed by then); that screen is retried above, the run goes on.
  process.on("uncaughtException", (error) => {
    figures.uncaught++;
    if (figures.uncaught <= 3) console.error(String(error?.message ?? error));
  });

  const closers = [];
  const connectedScreens = [];
  let firstError = null;
  let next = 0;
  async function connector() {
    while (next < count) {
      const screen = next++;
      try {
        closers.push(await open(screen));
        connectedScreens.push(screen);
      } catch (error) {
        figures.failed++;
        firstError ??= String(error?.message ?? error);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.parallel, count) }, connector));
  parentPort.on("message", (m) => {
    if (m.type === "measure") {
      windowStart = m.windowStart;
      measuring = true;
    } else if (m.type === "window-end") {
      windowEnd = m.windowEnd;
      measuring = false;
    } else if (m.type === "report") {
      let silent = 0;
      for (const screen of connectedScreens) if (perScreen[screen] === 0) silent++;
      parentPort.postMessage({ type: "report", ...figures, connected: closers.length, firstError, silent, delays, generated: [...generated] });
    }
  });
  parentPort.postMessage({ type: "connected", connected: closers.length });
}
