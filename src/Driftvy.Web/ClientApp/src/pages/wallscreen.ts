// Driftvy wall screen. One board per screen, its pages in rotation; pushes arrive over SignalR. The page never gives
// up: it reconnects forever, reloads the full snapshot after each reconnect, greys out stale tiles by itself (even
// when nothing arrives), and reloads nightly to stay fresh over weeks.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { AlertBanner } from "../shared/alerts";
import { getJson, whoAmI } from "../shared/api";
import { byId, el } from "../shared/dom";
import { Formats } from "../shared/format";
import { ageText, freshness, ServerClock, staleNote } from "../shared/freshness";
import { BoardSession, type ConnectionBanner } from "../shared/hub";
import { langFrom } from "../shared/i18n";
import { pageDots, Rotation } from "../shared/rotation";
import { connectHub } from "../shared/signalr";
import { nextStockholmTime } from "../shared/stockholm";
import type { AlertView, BoardSnapshot, BoardTile, TileAnnotation } from "../shared/wire";

const lang = langFrom(location.search);
document.documentElement.lang = lang;
const fmt = new Formats(lang);
const text = fmt.texts.wall;

const pagesEl = byId("pages");
const banner = byId("connection-banner");
const bannerText = byId("connection-text");
const stateEl = byId("board-state");
const pageTitleEl = byId("page-title");
const pageDotsEl = byId("page-dots");
const template = byId<HTMLTemplateElement>("tile-template");

interface TileView {
  el: HTMLElement;
  chart: uPlot | null;
  data: BoardTile;
  notes: TileAnnotation[];
  field(name: string): HTMLElement;
}

let snapshot: BoardSnapshot | null = null;
let layoutKey: string | null = null;
const clock = new ServerClock();
const tiles = new Map<string, TileView>();
const pageEls: HTMLElement[] = [];
const rotation = new Rotation(() => snapshot?.pages ?? [], showPage);

// Builds the pages and their tiles when the board's layout changes (first snapshot, or a board file edited).
function layout(s: BoardSnapshot): void {
  const key = JSON.stringify(s.pages);
  if (key === layoutKey) { return; }
  layoutKey = key;
  for (const t of tiles.values()) { t.chart?.destroy(); }
  chartSizes.disconnect();
  tiles.clear();
  pagesEl.replaceChildren();
  pageEls.length = 0;
  const byTileId = new Map(s.tiles.map(t => [t.id, t]));
  s.pages.forEach((p, i) => {
    const pageEl = el("div", { class: "page", data: { page: String(i) } });
    pageEl.style.setProperty("--cols", String(p.columns));
    const spans = p.tiles.reduce((n, id) => n + (byTileId.get(id)?.span || 1), 0);
    pageEl.style.setProperty("--rows", String(Math.max(1, Math.ceil(spans / p.columns))));
    for (const id of p.tiles) {
      const data = byTileId.get(id);
      if (!data) { continue; }
      const tileEl = (template.content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
      tileEl.dataset.tile = id;
      tileEl.dataset.kind = data.kind;
      tileEl.style.setProperty("--span", String(data.span || 1));
      for (const label of tileEl.querySelectorAll<HTMLElement>("[data-label]")) {
        const t = (text as Record<string, unknown>)[label.dataset.label ?? ""];
        if (typeof t === "string") { label.textContent = t; }
      }
      (tileEl.querySelector("[data-queue-only]") as HTMLElement).hidden = data.kind !== "queue";
      (tileEl.querySelector("[data-team-only]") as HTMLElement).hidden = data.kind !== "team";
      (tileEl.querySelector("[data-kpi-only]") as HTMLElement).hidden = data.kind === "staffing";
      (tileEl.querySelector("[data-staffing-only]") as HTMLElement).hidden = data.kind !== "staffing";
      const line = tileEl.querySelector(".staffing-line") as HTMLElement;
      line.addEventListener("click", () => {
        const details = tileEl.querySelector(".staffing-details") as HTMLElement;
        details.hidden = !details.hidden;
        line.setAttribute("aria-expanded", String(!details.hidden));
      });
      pageEl.appendChild(tileEl);
      tiles.set(id, { el: tileEl, chart: null, data, notes: [], field: name => tileEl.querySelector('[data-field="' + name + '"]') as HTMLElement });
      chartSizes.observe(tileEl.querySelector(".tile-chart") as HTMLElement);
    }
    pagesEl.appendChild(pageEl);
    pageEls.push(pageEl);
  });
  rotation.showPage(rotation.current);
}

function showPage(index: number): void {
  if (!snapshot) { return; }
  pageEls.forEach((p, i) => { p.hidden = i !== index; });
  document.body.dataset.page = String(index);
  const page = snapshot.pages[index];
  if (!page) { return; }
  pageTitleEl.textContent = snapshot.pages.length > 1 || page.title !== snapshot.title ? fmt.title(page) : "";
  pageDotsEl.textContent = pageDots(snapshot.pages.length, index);
  // Charts can only be sized once their page is visible.
  for (const t of tiles.values()) { if (pageEls[index]?.contains(t.el)) { drawChart(t); } }
}

function render(s: BoardSnapshot): void {
  snapshot = s;
  // A visible-to-tests heartbeat: how many snapshots this page has drawn.
  document.body.dataset.updates = String(Number(document.body.dataset.updates || "0") + 1);
  clock.sync(s.generatedAt);
  byId("board-title").textContent = fmt.title(s);
  document.title = fmt.title(s) + " – Driftvy";
  stateEl.hidden = s.state === "ready";
  stateEl.textContent = text.rebuilding;
  layout(s);
  for (const tile of s.tiles) {
    const t = tiles.get(tile.id);
    if (!t) { continue; }
    t.data = tile;
    (t.el.querySelector(".tile-title") as HTMLElement).textContent = fmt.title(tile);
    (t.el.querySelector(".tile-window") as HTMLElement).textContent = text.window[tile.window] ?? tile.window;
    t.field("kpi-name").textContent = lang === "en" ? tile.kpiNameEn : tile.kpiName;
    t.field("value").textContent = fmt.value(tile.value, tile.unit);
    const [icon, label] = fmt.status(tile.status);
    t.el.dataset.status = tile.status;
    (t.el.querySelector(".status-icon") as HTMLElement).textContent = icon;
    t.field("status").textContent = label;
    t.field("target").textContent = text.target + " " + fmt.value(tile.target, tile.unit);
    t.el.title = tile.noValueReason ? tile.formula + " — " + tile.noValueReason : tile.formula;
    if (tile.kind === "staffing") {
      renderStaffing(t, tile);
    } else if (tile.kind === "queue") {
      t.field("waiting").textContent = fmt.integer(tile.waiting);
      t.field("longest").textContent = fmt.wait(tile.longestWaitSeconds);
      t.field("answered").textContent = fmt.integer(tile.answered);
      t.field("abandoned").textContent = fmt.integer(tile.abandoned);
    } else {
      t.field("source").textContent = text.source;
    }
    const notes = t.el.querySelector(".tile-notes") as HTMLElement;
    notes.hidden = tile.annotations.length === 0;
    notes.textContent = tile.annotations.map(noteText).join(" · ");
    if (!pageEls[rotation.current] || pageEls[rotation.current]!.contains(t.el)) { drawChart(t); }
  }
  tick();
}

// "Behov 14 · Inne 11 · −3", where today ends, and (one tap away) the method and its inputs.
function renderStaffing(t: TileView, tile: BoardTile): void {
  const st = fmt.texts.staffing;
  const f = tile.staffing;
  t.field("staffing-line").textContent = st.need + " " + fmt.integer(f?.needed) + " · " + st.in + " " + fmt.integer(f?.answering) + " · " + fmt.gap(f?.gap);
  t.field("staffing-projection").textContent = f?.projectedServiceLevel == null ? ""
    : st.endsAt + " " + fmt.share(f.projectedServiceLevel) + " (" + st.target + " " + fmt.share(f.serviceLevelTarget) + ")";
  const hours = (v: number | null | undefined): string => fmt.value(v, "score");
  const rows: [string, string][] = [
    [st.rate, hours(f?.callsPerHour)],
    [st.handle, f?.handleTimeSeconds == null ? "–" : fmt.wait(f.handleTimeSeconds) + " (" + (f.handleTimeFrom === "today" ? st.handleToday : st.sameWeekday + " " + f.handleTimeFrom) + ")"],
    [st.patience, fmt.wait(f?.patienceSeconds)],
    [st.model, f?.model || "–"],
    [st.reforecast, f?.reforecast || "–"],
    [st.hours, fillHours(st.hoursLine, hours(f?.agentHoursAsStaffed), hours(f?.agentHoursNeeded), hours(f?.agentHoursForDayTarget))],
  ];
  if (f?.snapshotStale) { rows.push([st.stale, tile.dataAsOf ? fmt.timeOfDay(tile.dataAsOf) : "–"]); }
  if (f?.reason || tile.noValueReason) { rows.push([st.why, f?.reason || tile.noValueReason || ""]); }
  t.field("staffing-details").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
}

function fillHours(template: string, now: string, need: string, day: string): string {
  return template.replace("{now}", now).replace("{need}", need).replace("{day}", day);
}

function noteText(a: TileAnnotation): string {
  const from = fmt.timeOfDay(a.start);
  return (a.end ? from + "–" + fmt.timeOfDay(a.end) : from) + " " + a.text;
}

function drawChart(t: TileView): void {
  const tile = t.data;
  const host = t.el.querySelector(".tile-chart") as HTMLElement;
  const legend = t.el.querySelector(".chart-legend") as HTMLElement;
  const show = tile.kind === "queue" && tile.intraday.length > 0;
  host.hidden = !show;
  legend.hidden = !show;
  t.el.classList.toggle("has-chart", show);
  const hasExpected = tile.intraday.some(p => p.expected != null);
  for (const e of legend.querySelectorAll<HTMLElement>(".swatch-expected, .swatch-expected + span")) { e.hidden = !hasExpected; }
  if (!show || host.clientWidth === 0 || host.clientHeight === 0) { return; }
  const data: uPlot.AlignedData = [
    tile.intraday.map(p => new Date(p.start).getTime() / 1000),
    tile.intraday.map(p => p.offered),
    tile.intraday.map(p => p.expected),
    tile.intraday.map(p => p.serviceLevel),
    tile.intraday.map(() => tile.intradayTarget),
  ];
  const size = { width: host.clientWidth, height: host.clientHeight };
  t.notes = tile.annotations;
  if (t.chart && t.chart.width === size.width && t.chart.height === size.height) {
    t.chart.setData(data);
    return;
  }
  t.chart?.destroy();
  // uPlot draws in pixels: scale its fonts, axis sizes and tick spacing with the page's base size (1080p → 4K).
  const base = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const fpx = Math.round(base * 0.9);
  const font = fpx + "px sans-serif";
  const line = { stroke: "#2a3440", width: Math.max(1, base / 20) };
  const axis = { stroke: "#c9d2dc", grid: line, ticks: line, font };
  const bars = uPlot.paths.bars!({ size: [0.8, 40] });
  t.chart = new uPlot({
    ...size,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true }, calls: { range: (_u, _min, max) => [0, Math.max(5, max * 1.1)] }, pct: { range: [0, 100] } },
    axes: [
      { ...axis, size: fpx * 2.2, space: fpx * 5, values: (_u, ticks) => ticks.map(v => fmt.timeOfDay(v * 1000)) },
      { ...axis, scale: "calls", size: fpx * 3.2, space: fpx * 2 },
      { ...axis, scale: "pct", side: 1, size: fpx * 4, space: fpx * 2, values: (_u, ticks) => ticks.map(v => v + " %") },
    ],
    series: [
      {},
      { label: text["legend-calls"], scale: "calls", stroke: "#56b4e9", width: base / 10, fill: "rgba(86,180,233,0.35)", points: { show: false }, paths: bars },
      { label: text["legend-expected"], scale: "calls", stroke: "#cc79a7", width: base / 6, dash: [base / 4, base / 4], spanGaps: true, points: { show: false } },
      { label: text["legend-sl"], scale: "pct", stroke: "#f0e442", width: base / 6, spanGaps: true, points: { show: false } },
      { label: text["legend-target"], scale: "pct", stroke: "#f2f5f8", width: base / 10, dash: [base / 2, base / 3], points: { show: false } },
    ],
    hooks: { drawClear: [u => drawNotes(u, t)] },
  }, data, host);
}

// Annotations as shaded bands (or a line for a moment) behind the series.
function drawNotes(u: uPlot, t: TileView): void {
  const ctx = u.ctx;
  for (const a of t.notes) {
    const x0 = u.valToPos(new Date(a.start).getTime() / 1000, "x", true);
    const x1 = a.end ? u.valToPos(new Date(a.end).getTime() / 1000, "x", true) : x0 + 3;
    const left = Math.max(u.bbox.left, x0);
    ctx.save();
    ctx.fillStyle = "rgba(230,159,0,0.25)";
    ctx.fillRect(left, u.bbox.top, Math.max(3, Math.min(u.bbox.left + u.bbox.width, x1) - left), u.bbox.height);
    ctx.restore();
  }
}

// Ages and staleness are recomputed every second from the server-corrected clock, so a frozen server or a silent
// source greys the tiles out even though no message arrives.
function tick(): void {
  const now = clock.now();
  byId("clock").textContent = fmt.clock(now);
  if (!snapshot) { return; }
  let staleTiles = 0;
  for (const t of tiles.values()) {
    const f = freshness(t.data.dataAsOf, t.data.staleAfterSeconds, now);
    (t.el.querySelector(".tile-age") as HTMLElement).textContent = ageText(f, fmt);
    const note = staleNote(f, fmt);
    const noteEl = t.el.querySelector(".stale-note") as HTMLElement;
    t.el.classList.toggle("stale", note !== null);
    noteEl.hidden = note === null;
    if (note !== null) {
      staleTiles++;
      noteEl.textContent = note;
    }
  }
  document.body.dataset.staleTiles = String(staleTiles);
}

function showBanner(state: ConnectionBanner, boardId: string): void {
  if (state === null) {
    banner.hidden = true;
    return;
  }
  bannerText.textContent = state === "connecting" ? text.connecting
    : state === "unknown-board" ? text.unknownBoard + ": " + boardId
      : state === "refused" ? text.refused : text.reconnecting;
  banner.hidden = false;
}

class Refused extends Error {}
class SignInNeeded extends Error {}

async function resolveBoard(): Promise<{ boardId: string; displayToken: string | null }> {
  const display = /^\/display\/([^/]+)/.exec(location.pathname);
  if (display) {
    const displayToken = decodeURIComponent(display[1]!);
    const res = await fetch("/api/display/" + encodeURIComponent(displayToken), { cache: "no-store" });
    if (!res.ok) { throw new Refused(); }
    return { boardId: ((await res.json()) as { boardId: string }).boardId, displayToken };
  }
  const displayToken = new URLSearchParams(location.search).get("token");
  const config = await getJson<{ defaultBoard: string; signInRequired: boolean }>("/api/config");
  // Without a display link, in production (no anonymous reading), someone not signed in is offered the sign-in page
  // and brought back here afterwards, instead of a hub that would refuse them.
  if (!displayToken && config.signInRequired && !(await whoAmI()).name) { throw new SignInNeeded(); }
  const m = /^\/boards\/([^/]+)/.exec(location.pathname);
  return { boardId: m ? decodeURIComponent(m[1]!) : config.defaultBoard, displayToken };
}

async function main(): Promise<void> {
  let board: { boardId: string; displayToken: string | null };
  try {
    board = await resolveBoard();
  } catch (e) {
    if (e instanceof SignInNeeded) {
      location.replace("/login?ReturnUrl=" + encodeURIComponent(location.pathname + location.search));
      return;
    }
    showBanner(e instanceof Refused ? "refused" : "reconnecting", "");
    // The server may have been down rather than the link revoked: try again in a minute.
    setTimeout(() => location.reload(), 60000);
    return;
  }
  const { boardId, displayToken } = board;
  const hub = connectHub("/hubs/dashboard" + (displayToken ? "?token=" + encodeURIComponent(displayToken) : ""));
  const alerts = new AlertBanner(byId("alert-banner"), fmt, boardId, displayToken);
  hub.on("AlertsChanged", (list: AlertView[]) => alerts.render(list));
  const session = new BoardSession(hub, boardId, {
    snapshot: render,
    joined: () => { void alerts.refresh(); },
    banner: state => showBanner(state, boardId),
  });
  await session.start();
}

// Between 03:00 and 03:30 Stockholm time, spread so that many screens do not reload at once.
function scheduleNightlyReload(): void {
  const now = Date.now();
  const at = nextStockholmTime(now, 3, Math.floor(Math.random() * 30));
  setTimeout(() => location.reload(), at.getTime() - now);
}

// A chart is drawn in pixels for the size its box had. The box changes without the window doing so — the connection
// banner takes a line at the top, a page comes into view — and a chart left at its old size runs over the legend
// below it; so every chart box is watched and its chart redrawn at the new size (once per frame).
const resizedTiles = new Set<TileView>();
let resizeFrame: number | null = null;
const chartSizes = new ResizeObserver(entries => {
  for (const entry of entries) {
    const tileEl = (entry.target as HTMLElement).closest<HTMLElement>(".tile");
    const t = tileEl ? tiles.get(tileEl.dataset.tile ?? "") : undefined;
    if (t) { resizedTiles.add(t); }
  }
  if (resizeFrame === null) {
    resizeFrame = requestAnimationFrame(() => {
      resizeFrame = null;
      const due = [...resizedTiles];
      resizedTiles.clear();
      if (snapshot) { for (const t of due) { if (tiles.get(t.el.dataset.tile ?? "") === t) { drawChart(t); } } }
    });
  }
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (snapshot) { for (const t of tiles.values()) { drawChart(t); } } }, 200);
});

setInterval(tick, 1000);
scheduleNightlyReload();
void main();
