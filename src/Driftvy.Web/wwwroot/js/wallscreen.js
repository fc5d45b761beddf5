// Driftvy wall screen. One board per page; pushes arrive over SignalR. The page never gives up:
// it reconnects forever, reloads the full snapshot after each reconnect, greys out stale tiles by
// itself (even when nothing arrives), and reloads nightly to stay fresh over weeks.
"use strict";

(function () {
  const locale = document.documentElement.lang === "en" ? "en-GB" : "sv-SE";
  const text = locale === "sv-SE"
    ? { reconnecting: "Anslutningen bröts – återansluter…", connecting: "Ansluter…", rebuilding: "Bygger om siffror…", target: "Mål", onTarget: "Över mål", nearTarget: "Nära mål", offTarget: "Under mål", noData: "Inga samtal än", noTarget: "Mål saknas", staleSince: "Data saknas sedan", ago: "sedan", unknownBoard: "Okänd tavla" }
    : { reconnecting: "Connection lost – reconnecting…", connecting: "Connecting…", rebuilding: "Rebuilding figures…", target: "Target", onTarget: "On target", nearTarget: "Near target", offTarget: "Below target", noData: "No calls yet", noTarget: "No target", staleSince: "No data since", ago: "ago", unknownBoard: "Unknown board" };
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const timeOfDay = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Stockholm" });
  const clockFormat = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "Europe/Stockholm" });
  const statusText = { "on-target": ["✓", text.onTarget], "near-target": ["▲", text.nearTarget], "off-target": ["✕", text.offTarget], "no-data": ["–", text.noData], "no-target": ["○", text.noTarget] };

  const tilesEl = document.getElementById("tiles");
  const banner = document.getElementById("connection-banner");
  const bannerText = document.getElementById("connection-text");
  const stateEl = document.getElementById("board-state");
  const template = document.getElementById("tile-template");

  let boardId = null;
  let snapshot = null;
  let serverOffsetMs = 0;
  const tiles = new Map();

  function serverNow() { return Date.now() + serverOffsetMs; }

  function formatWait(seconds) {
    if (seconds == null) { return "–"; }
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return m + ":" + String(s).padStart(2, "0");
  }

  function formatAge(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) { return s + " s " + text.ago; }
    const m = Math.floor(s / 60);
    if (m < 60) { return m + " min " + text.ago; }
    return Math.floor(m / 60) + " h " + text.ago;
  }

  function tileFor(queue) {
    let t = tiles.get(queue);
    if (t) { return t; }
    const el = template.content.firstElementChild.cloneNode(true);
    el.dataset.queue = queue;
    tilesEl.appendChild(el);
    t = { el, chart: null, field: name => el.querySelector('[data-field="' + name + '"]') };
    tiles.set(queue, t);
    return t;
  }

  function render(s) {
    snapshot = s;
    // A visible-to-tests heartbeat: how many snapshots this page has drawn.
    document.body.dataset.updates = String(Number(document.body.dataset.updates || "0") + 1);
    serverOffsetMs = new Date(s.generatedAt).getTime() - Date.now();
    document.getElementById("board-title").textContent = s.title;
    document.title = s.title + " – Driftvy";
    stateEl.hidden = s.state === "ready";
    stateEl.textContent = text.rebuilding;
    tilesEl.style.setProperty("--cols", s.tiles.length <= 1 ? 1 : s.tiles.length <= 4 ? 2 : 3);
    const seen = new Set();
    for (const tile of s.tiles) {
      seen.add(tile.queue);
      const t = tileFor(tile.queue);
      t.data = tile;
      t.el.querySelector(".tile-title").textContent = tile.title;
      t.field("waiting").textContent = tile.waiting == null ? "–" : integer.format(tile.waiting);
      t.field("longest").textContent = formatWait(tile.longestWaitSeconds);
      t.field("answered").textContent = integer.format(tile.answered);
      t.field("abandoned").textContent = integer.format(tile.abandoned);
      t.field("agents").textContent = tile.agentsAvailable == null ? "–"
        : integer.format(tile.agentsAvailable) + " / " + integer.format(tile.agentsBusy) + " / " + integer.format(tile.agentsAway);
      t.field("sl-label").textContent = (locale === "sv-SE" ? "Besvarade inom " : "Answered within ") + tile.serviceLevelSeconds + " s " + (locale === "sv-SE" ? "idag" : "today");
      t.field("sl").textContent = tile.serviceLevel == null ? "–" : percent.format(tile.serviceLevel / 100);
      const [icon, label] = statusText[tile.status] || statusText["no-data"];
      t.el.dataset.status = tile.status;
      t.el.querySelector(".status-icon").textContent = icon;
      t.field("status").textContent = tile.target == null ? label : label + " · " + text.target + " " + percent.format(tile.target / 100);
      t.el.title = tile.formula;
      drawChart(t, tile);
    }
    for (const [queue, t] of tiles) {
      if (!seen.has(queue)) { t.el.remove(); tiles.delete(queue); }
    }
    tick();
  }

  function drawChart(t, tile) {
    const host = t.el.querySelector(".tile-chart");
    if (typeof uPlot === "undefined" || host.clientWidth === 0 || host.clientHeight === 0) { return; }
    const xs = tile.intraday.map(p => new Date(p.start).getTime() / 1000);
    const offered = tile.intraday.map(p => p.offered);
    const sl = tile.intraday.map(p => p.serviceLevel);
    const target = tile.intraday.map(() => tile.target);
    const data = [xs, offered, sl, target];
    const size = { width: host.clientWidth, height: host.clientHeight };
    if (t.chart && t.chart.width === size.width && t.chart.height === size.height) {
      t.chart.setData(data);
      return;
    }
    if (t.chart) { t.chart.destroy(); }
    const font = Math.round(parseFloat(getComputedStyle(document.documentElement).fontSize) * 0.85) + "px sans-serif";
    const axis = { stroke: "#b9c3cf", grid: { stroke: "#2a3440" }, ticks: { stroke: "#2a3440" }, font };
    t.chart = new uPlot({
      ...size,
      legend: { show: false },
      cursor: { show: false },
      tzDate: ts => uPlot.tzDate(new Date(ts * 1000), "Europe/Stockholm"),
      scales: { x: { time: true }, calls: { range: (u, min, max) => [0, Math.max(5, max * 1.1)] }, pct: { range: [0, 100] } },
      axes: [
        { ...axis, values: (u, ticks) => ticks.map(v => timeOfDay.format(new Date(v * 1000))) },
        { ...axis, scale: "calls", size: 60 },
        { ...axis, scale: "pct", side: 1, size: 60, values: (u, ticks) => ticks.map(v => v + " %") },
      ],
      series: [
        {},
        { label: "Samtal", scale: "calls", stroke: "#56b4e9", fill: "rgba(86,180,233,0.35)", paths: uPlot.paths.bars({ size: [0.8, 40] }) },
        { label: "Servicenivå", scale: "pct", stroke: "#f0e442", width: 3, spanGaps: true, points: { show: false } },
        { label: "Mål", scale: "pct", stroke: "#f2f5f8", width: 2, dash: [8, 6], points: { show: false } },
      ],
    }, data, host);
  }

  // Ages and staleness are recomputed every second from the server-corrected clock, so a frozen
  // server or a silent source greys the tiles out even though no message arrives.
  function tick() {
    document.getElementById("clock").textContent = clockFormat.format(new Date(serverNow()));
    if (!snapshot) { return; }
    for (const t of tiles.values()) {
      const tile = t.data;
      const ageEl = t.el.querySelector(".tile-age");
      const note = t.el.querySelector(".stale-note");
      if (!tile.dataAsOf) {
        ageEl.textContent = "–";
        t.el.classList.add("stale");
        note.hidden = false;
        note.textContent = text.noData;
        continue;
      }
      const asOf = new Date(tile.dataAsOf).getTime();
      const age = serverNow() - asOf;
      ageEl.textContent = formatAge(age);
      const stale = age > snapshot.staleAfterSeconds * 1000;
      t.el.classList.toggle("stale", stale);
      note.hidden = !stale;
      if (stale) { note.textContent = text.staleSince + " " + timeOfDay.format(new Date(asOf)); }
    }
  }

  function showBanner(message) {
    bannerText.textContent = message;
    banner.hidden = false;
  }

  function hideBanner() { banner.hidden = true; }

  async function resolveBoard() {
    const m = location.pathname.match(/^\/boards\/([^/]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    const res = await fetch("/api/config", { cache: "no-store" });
    const cfg = await res.json();
    return cfg.defaultBoard;
  }

  function retryDelay(attempt) { return Math.min(30000, 1000 * Math.pow(2, Math.min(attempt, 5))); }

  async function main() {
    boardId = await resolveBoard();
    const connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/dashboard")
      // Never give up (the library's default stops after four attempts).
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => retryDelay(ctx.previousRetryCount) })
      .configureLogging(signalR.LogLevel.None)
      .build();
    connection.serverTimeoutInMilliseconds = 20000;
    connection.keepAliveIntervalInMilliseconds = 5000;
    // Other modules (alerts) attach their handlers to the same connection.
    document.dispatchEvent(new CustomEvent("driftvy:connection", { detail: { connection, boardId } }));
    connection.on("BoardUpdated", s => { if (s.boardId === boardId) { render(s); } });
    connection.onreconnecting(() => showBanner(text.reconnecting));
    connection.onreconnected(() => join(connection));
    connection.onclose(() => { showBanner(text.reconnecting); start(connection, 0); });
    await start(connection, 0);
  }

  async function join(connection) {
    try {
      const s = await connection.invoke("JoinBoard", boardId);
      document.dispatchEvent(new CustomEvent("driftvy:joined", { detail: { boardId } }));
      hideBanner();
      render(s);
    } catch (e) {
      showBanner(text.unknownBoard + ": " + boardId);
    }
  }

  async function start(connection, attempt) {
    try {
      await connection.start();
      await join(connection);
    } catch (e) {
      showBanner(attempt === 0 ? text.connecting : text.reconnecting);
      setTimeout(() => start(connection, attempt + 1), retryDelay(attempt));
    }
  }

  function scheduleNightlyReload() {
    // Between 03:00 and 03:30 local time, spread so that many screens do not reload at once.
    const now = new Date();
    const next = new Date(now);
    next.setHours(3, Math.floor(Math.random() * 30), 0, 0);
    if (next <= now) { next.setDate(next.getDate() + 1); }
    setTimeout(() => location.reload(), next - now);
  }

  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (snapshot) { render(snapshot); } }, 200);
  });

  setInterval(tick, 1000);
  scheduleNightlyReload();
  main();
})();
