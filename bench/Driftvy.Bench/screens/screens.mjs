// Simulated wall screens for the screens benchmark (run by `Driftvy.Bench screens`, not by hand as a rule):
//   node screens.mjs --url http://127.0.0.1:5080 --mode signalr|bare --count 1000 --warmup 5 --seconds 20
// signalr: the official client (@microsoft/signalr), WebSockets without negotiation, JoinBoard, then BoardUpdated.
// bare:    a plain WebSocket to the bare broadcast endpoint, one JSON snapshot per message.
// Every screen parses every message it gets, as a wall screen must. Prints "connected …", then "measuring" when the
// measured window starts, and one JSON line with the figures when it ends.
import * as signalR from "@microsoft/signalr";
import WebSocket from "ws";

const options = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const url = options.url;
const mode = options.mode ?? "signalr";
const count = Number(options.count ?? 1000);
const warmupSeconds = Number(options.warmup ?? 5);
const seconds = Number(options.seconds ?? 20);
const board = options.board ?? "kontaktcenter";
const inFlight = Number(options.parallel ?? 100);
const graceSeconds = Number(options.grace ?? 5);

// The measured window is by build time: every snapshot built in [windowStart, windowEnd) counts, with a grace period
// after the window for the late ones, so a slow delivery is counted late rather than not at all.
let windowStart = Infinity;
let windowEnd = Infinity;
let deliveries = 0;
let bytes = 0;
let lost = 0;
let sawPush = false;
let measuring = false;
const delays = [];
const generated = new Set();
const perScreen = new Uint32Array(count);

function received(screen, generatedAt, size) {
  sawPush = true;
  const built = Date.parse(generatedAt);
  if (!(built >= windowStart && built < windowEnd)) {
    return;
  }
  deliveries++;
  perScreen[screen]++;
  bytes += size;
  delays.push(Date.now() - built);
  generated.add(generatedAt);
}

async function openSignalR(screen) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${url}/hubs/dashboard`, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(signalR.LogLevel.None)
    .build();
  // A loaded machine may hold a ping back for a while; the benchmark counts late deliveries, not dropped screens.
  connection.serverTimeoutInMilliseconds = 120_000;
  connection.on("BoardUpdated", (snapshot) => received(screen, snapshot.generatedAt, 0));
  connection.onclose(() => {
    if (measuring) lost++;
  });
  await connection.start();
  // Like the wall screen: a failed join (a transient store error under load) is retried with backoff.
  for (let attempt = 1; ; attempt++) {
    try {
      await connection.invoke("JoinBoard", board);
      break;
    } catch (error) {
      if (attempt >= 8) {
        await connection.stop();
        throw error;
      }
      joinRetries++;
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
    socket.on("close", () => {
      if (measuring) lost++;
    });
    socket.once("open", () => resolve(() => socket.close()));
    socket.once("error", reject);
  });
}

const openOnce = mode === "bare" ? openBare : openSignalR;
// Like the wall screen, a screen whose connection fails (a handshake that timed out on a busy server) tries again.
let connectRetries = 0;
async function open(screen) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openOnce(screen);
    } catch (error) {
      if (attempt >= 5) throw error;
      connectRetries++;
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

// The SignalR client can throw from a socket callback when a handshake is cancelled while it is still connecting
// (the connection's start() has already failed by then); that screen is retried above, the run goes on.
let uncaught = 0;
process.on("uncaughtException", (error) => {
  uncaught++;
  if (uncaught <= 3) console.error(String(error?.message ?? error));
});
const closers = [];
const connectedScreens = [];
let failed = 0;
let joinRetries = 0;
let firstError = null;
let next = 0;
const connectStarted = Date.now();
async function worker() {
  while (next < count) {
    const screen = next++;
    try {
      closers.push(await open(screen));
      connectedScreens.push(screen);
    } catch (error) {
      failed++;
      firstError ??= String(error?.message ?? error);
    }
  }
}
await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
console.log(`connected ${closers.length} of ${count} in ${((Date.now() - connectStarted) / 1000).toFixed(1)} s`);

// Warm-up: the given time, and at least until the board is being pushed (a fresh instance's first polls fold the
// whole day so far), at most two minutes.
const warmupStarted = Date.now();
await new Promise((r) => setTimeout(r, warmupSeconds * 1000));
while (!sawPush && Date.now() - warmupStarted < 120_000) {
  await new Promise((r) => setTimeout(r, 200));
}
const cpuBefore = process.cpuUsage();
windowStart = Date.now();
measuring = true;
console.log("measuring");
await new Promise((r) => setTimeout(r, seconds * 1000));
windowEnd = Date.now();
const cpu = process.cpuUsage(cpuBefore);
console.log("measured");
measuring = false;
const elapsed = (windowEnd - windowStart) / 1000;
await new Promise((r) => setTimeout(r, graceSeconds * 1000));

delays.sort((a, b) => a - b);
const percentile = (p) => (delays.length === 0 ? null : delays[Math.min(delays.length - 1, Math.ceil((p / 100) * delays.length) - 1)]);
let silent = 0;
for (const screen of connectedScreens) if (perScreen[screen] === 0) silent++;
console.log(
  JSON.stringify({
    mode,
    count,
    connected: closers.length,
    failed,
    firstError,
    joinRetries,
    connectRetries,
    uncaught,
    lost,
    silent,
    seconds: elapsed,
    deliveries,
    pushes: generated.size,
    perScreenPerSecond: closers.length === 0 ? 0 : deliveries / closers.length / elapsed,
    pushesPerSecond: generated.size / elapsed,
    completeness: closers.length === 0 || generated.size === 0 ? 0 : deliveries / closers.length / generated.size,
    p50: percentile(50),
    p90: percentile(90),
    p99: percentile(99),
    max: delays.length === 0 ? null : delays[delays.length - 1],
    meanBytes: deliveries === 0 ? 0 : bytes / deliveries,
    clientCpu: (cpu.user + cpu.system) / 1e6 / elapsed,
  }),
);
await Promise.all(closers.map((close) => Promise.resolve(close()).catch(() => {})));
process.exit(0);
