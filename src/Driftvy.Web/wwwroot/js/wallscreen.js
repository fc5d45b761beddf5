// Driftvy wall screen. One board per screen, its pages in rotation; pushes arrive over SignalR. The page
// never gives up: it reconnects forever, reloads the full snapshot after each reconnect, greys out stale
// tiles by itself (even when nothing arrives), and reloads nightly to stay fresh over weeks.
"use strict";

(function () {
  const D = window.Driftvy;
  const text = D.text;

  const pagesEl = document.getElementById("pages");
  const banner = document.getElementById("connection-banner");
  const bannerText = document.getElementById("connection-text");
  const stateEl = document.getElementById("board-state");
  const pageTitleEl = document.getElementById("page-title");
  const pageDotsEl = document.getElementById("page-dots");
  const template = document.getElementById("tile-template");

  let boardId = null;
  let displayToken = null;
  let snapshot = null;
  let layoutKey = null;
  let serverOffsetMs = 0;
  let currentPage = 0;
  let rotationTimer = null;
  let refused = false;
  const tiles = new Map();
  const pageEls = [];

  function serverNow() { return Date.now() + serverOffsetMs; }

  // Builds the pages and their tiles when the board's layout changes (first snapshot, or a board file edited).
  function layout(s) {
    const key = JSON.stringify(s.pages);
    if (key === layoutKey) { return; }
    layoutKey = key;
    for (const t of tiles.values()) { if (t.chart) { t.chart.destroy(); } }
    chartSizes.disconnect();
    tiles.clear();
    pagesEl.replaceChildren();
    pageEls.length = 0;
    const byId = new Map(s.tiles.map(t => [t.id, t]));
    s.pages.forEach((p, i) => {
      const pageEl = document.createElement("div");
      pageEl.className = "page";
      pageEl.dataset.page = String(i);
      pageEl.style.setProperty("--cols", p.columns);
      const spans = p.tiles.reduce((n, id) => n + ((byId.get(id) || {}).span || 1), 0);
      pageEl.style.setProperty("--rows", Math.max(1, Math.ceil(spans / p.columns)));
      for (const id of p.tiles) {
        const data = byId.get(id);
        if (!data) { continue; }
        const el = template.content.firstElementChild.cloneNode(true);
        el.dataset.tile = id;
        el.dataset.kind = data.kind;
        el.style.setProperty("--span", data.span || 1);
        for (const label of el.querySelectorAll("[data-label]")) { label.textContent = text[label.dataset.label]; }
        el.querySelector("[data-queue-only]").hidden = data.kind !== "queue";
        el.querySelector("[data-team-only]").hidden = data.kind !== "team";
        el.querySelector("[data-kpi-only]").hidden = data.kind === "staffing";
        el.querySelector("[data-staffing-only]").hidden = data.kind !== "staffing";
        const line = el.querySelector(".staffing-line");
        line.addEventListener("click", () => {
          const details = el.querySelector(".staffing-details");
          details.hidden = !details.hidden;
          line.setAttribute("aria-expanded", String(!details.hidden));
        });
        pageEl.appendChild(el);
        tiles.set(id, { el, chart: null, data, field: name => el.querySelector('[data-field="' + name + '"]') });
        chartSizes.observe(el.querySelector(".tile-chart"));
      }
      pagesEl.appendChild(pageEl);
      pageEls.push(pageEl);
    });
    currentPage = Math.min(currentPage, s.pages.length - 1);
    showPage(currentPage);
  }

  function showPage(index) {
    clearTimeout(rotationTimer);
    currentPage = index;
    pageEls.forEach((el, i) => { el.hidden = i !== index; });
    document.body.dataset.page = String(index);
    const page = snapshot.pages[index];
    pageTitleEl.textContent = snapshot.pages.length > 1 || page.title !== snapshot.title ? D.title(page) : "";
    pageDotsEl.textContent = snapshot.pages.length > 1 ? snapshot.pages.map((_, i) => i === index ? "●" : "○").join(" ") : "";
    // Charts can only be sized once their page is visible.
    for (const t of tiles.values()) { if (pageEls[index].contains(t.el)) { drawChart(t); } }
    if (snapshot.pages.length > 1) {
      rotationTimer = setTimeout(() => showPage((currentPage + 1) % snapshot.pages.length), page.rotationSeconds * 1000);
    }
  }

  function render(s) {
    snapshot = s;
    // A visible-to-tests heartbeat: how many snapshots this page has drawn.
    document.body.dataset.updates = String(Number(document.body.dataset.updates || "0") + 1);
    serverOffsetMs = new Date(s.generatedAt).getTime() - Date.now();
    document.getElementById("board-title").textContent = D.title(s);
    document.title = D.title(s) + " – Driftvy";
    stateEl.hidden = s.state === "ready";
    stateEl.textContent = text.rebuilding;
    layout(s);
    for (const tile of s.tiles) {
      const t = tiles.get(tile.id);
      if (!t) { continue; }
      t.data = tile;
      t.el.querySelector(".tile-title").textContent = D.title(tile);
      t.el.querySelector(".tile-window").textContent = text.window[tile.window] || tile.window;
      t.field("kpi-name").textContent = D.lang === "en" ? tile.kpiNameEn : tile.kpiName;
      t.field("value").textContent = D.value(tile.value, tile.unit);
      const [icon, label] = D.statusText[tile.status] || D.statusText["no-data"];
      t.el.dataset.status = tile.status;
      t.el.querySelector(".status-icon").textContent = icon;
      t.field("status").textContent = label;
      t.field("target").textContent = text.target + " " + (tile.target == null ? "–" : D.value(tile.target, tile.unit));
      t.el.title = tile.noValueReason ? tile.formula + " — " + tile.noValueReason : tile.formula;
      if (tile.kind === "staffing") {
        renderStaffing(t, tile);
      } else if (tile.kind === "queue") {
        t.field("waiting").textContent = tile.waiting == null ? "–" : D.integer.format(tile.waiting);
        t.field("longest").textContent = D.wait(tile.longestWaitSeconds);
        t.field("answered").textContent = D.integer.format(tile.answered);
        t.field("abandoned").textContent = D.integer.format(tile.abandoned);
      } else {
        t.field("source").textContent = text.source;
      }
      const notes = t.el.querySelector(".tile-notes");
      notes.hidden = tile.annotations.length === 0;
      notes.textContent = tile.annotations.map(noteText).join(" · ");
      if (!pageEls[currentPage] || pageEls[currentPage].contains(t.el)) { drawChart(t); }
    }
    tick();
  }

  // "Behov 14 · Inne 11 · −3", where today ends, and (one tap away) the method and its inputs.
  function renderStaffing(t, tile) {
    const st = text.staffing;
    const f = tile.staffing || {};
    const n = v => v == null ? "–" : D.integer.format(v);
    const gap = f.gap == null ? "–" : f.gap > 0 ? "+" + D.integer.format(f.gap) : f.gap < 0 ? "−" + D.integer.format(-f.gap) : "±0";
    t.field("staffing-line").textContent = st.need + " " + n(f.needed) + " · " + st.in + " " + n(f.answering) + " · " + gap;
    const pct = v => v == null ? "–" : D.value(v * 100, "percent");
    t.field("staffing-projection").textContent = f.projectedServiceLevel == null ? "" : st.endsAt + " " + pct(f.projectedServiceLevel) + " (" + st.target + " " + pct(f.serviceLevelTarget) + ")";
    const hours = v => v == null ? "–" : D.value(v, "score");
    const rows = [
      [st.rate, f.callsPerHour == null ? "–" : D.value(f.callsPerHour, "score")],
      [st.handle, f.handleTimeSeconds == null ? "–" : D.wait(f.handleTimeSeconds) + " (" + (f.handleTimeFrom === "today" ? st.handleFrom.today : st.sameWeekday + " " + f.handleTimeFrom) + ")"],
      [st.patience, f.patienceSeconds == null ? "–" : D.wait(f.patienceSeconds)],
      [st.model, f.model || "–"],
      [st.reforecast, f.reforecast || "–"],
      [st.hours, st.hoursLine(hours(f.agentHoursAsStaffed), hours(f.agentHoursNeeded), hours(f.agentHoursForDayTarget))],
    ];
    if (f.snapshotStale) { rows.push([st.stale, tile.dataAsOf ? D.timeOfDay.format(new Date(tile.dataAsOf)) : "–"]); }
    if (f.reason || tile.noValueReason) { rows.push([st.why, f.reason || tile.noValueReason]); }
    const dl = t.field("staffing-details");
    dl.replaceChildren(...rows.flatMap(([k, v]) => {
      const dt = document.createElement("dt");
      dt.textContent = k;
      const dd = document.createElement("dd");
      dd.textContent = v;
      return [dt, dd];
    }));
  }

  function noteText(a) {
    const from = D.timeOfDay.format(new Date(a.start));
    return (a.end ? from + "–" + D.timeOfDay.format(new Date(a.end)) : from) + " " + a.text;
  }

  function drawChart(t) {
    const tile = t.data;
    const host = t.el.querySelector(".tile-chart");
    const legend = t.el.querySelector(".chart-legend");
    const show = tile.kind === "queue" && tile.intraday.length > 0;
    host.hidden = !show;
    legend.hidden = !show;
    t.el.classList.toggle("has-chart", show);
    const hasExpected = tile.intraday.some(p => p.expected != null);
    for (const el of legend.querySelectorAll(".swatch-expected, .swatch-expected + span")) { el.hidden = !hasExpected; }
    if (!show || typeof uPlot === "undefined" || host.clientWidth === 0 || host.clientHeight === 0) { return; }
    const xs = tile.intraday.map(p => new Date(p.start).getTime() / 1000);
    const data = [
      xs,
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
    if (t.chart) { t.chart.destroy(); }
    // uPlot draws in pixels: scale its fonts, axis sizes and tick spacing with the page's base size (1080p → 4K).
    const base = parseFloat(getComputedStyle(document.documentElement).fontSize);
    const fpx = Math.round(base * 0.9);
    const font = fpx + "px sans-serif";
    const axis = { stroke: "#c9d2dc", grid: { stroke: "#2a3440", width: Math.max(1, base / 20) }, ticks: { stroke: "#2a3440", width: Math.max(1, base / 20) }, font };
    t.chart = new uPlot({
      ...size,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, calls: { range: (u, min, max) => [0, Math.max(5, max * 1.1)] }, pct: { range: [0, 100] } },
      axes: [
        { ...axis, size: fpx * 2.2, space: fpx * 5, values: (u, ticks) => ticks.map(v => D.timeOfDay.format(new Date(v * 1000))) },
        { ...axis, scale: "calls", size: fpx * 3.2, space: fpx * 2 },
        { ...axis, scale: "pct", side: 1, size: fpx * 4, space: fpx * 2, values: (u, ticks) => ticks.map(v => v + " %") },
      ],
      series: [
        {},
        { label: text["legend-calls"], scale: "calls", stroke: "#56b4e9", width: base / 10, fill: "rgba(86,180,233,0.35)", points: { show: false }, paths: uPlot.paths.bars({ size: [0.8, 40] }) },
        { label: text["legend-expected"], scale: "calls", stroke: "#cc79a7", width: base / 6, dash: [base / 4, base / 4], spanGaps: true, points: { show: false } },
        { label: text["legend-sl"], scale: "pct", stroke: "#f0e442", width: base / 6, spanGaps: true, points: { show: false } },
        { label: text["legend-target"], scale: "pct", stroke: "#f2f5f8", width: base / 10, dash: [base / 2, base / 3], points: { show: false } },
      ],
      hooks: { drawClear: [u => drawNotes(u, t)] },
    }, data, host);
  }

  // Annotations as shaded bands (or a line for a moment) behind the series.
  function drawNotes(u, t) {
    const ctx = u.ctx;
    for (const a of t.notes || []) {
      const x0 = u.valToPos(new Date(a.start).getTime() / 1000, "x", true);
      const x1 = a.end ? u.valToPos(new Date(a.end).getTime() / 1000, "x", true) : x0 + 3;
      ctx.save();
      ctx.fillStyle = "rgba(230,159,0,0.25)";
      ctx.fillRect(Math.max(u.bbox.left, x0), u.bbox.top, Math.max(3, Math.min(u.bbox.left + u.bbox.width, x1) - Math.max(u.bbox.left, x0)), u.bbox.height);
      ctx.restore();
    }
  }

  // Ages and staleness are recomputed every second from the server-corrected clock, so a frozen
  // server or a silent source greys the tiles out even though no message arrives.
  function tick() {
    document.getElementById("clock").textContent = new Intl.DateTimeFormat(D.locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "Europe/Stockholm" }).format(new Date(serverNow()));
    if (!snapshot) { return; }
    let staleTiles = 0;
    for (const t of tiles.values()) {
      const tile = t.data;
      const ageEl = t.el.querySelector(".tile-age");
      const note = t.el.querySelector(".stale-note");
      if (!tile.dataAsOf) {
        ageEl.textContent = "–";
        t.el.classList.add("stale");
        note.hidden = false;
        note.textContent = "⚠ " + text.neverData;
        staleTiles++;
        continue;
      }
      const asOf = new Date(tile.dataAsOf).getTime();
      const age = serverNow() - asOf;
      ageEl.textContent = D.age(age);
      const stale = age > tile.staleAfterSeconds * 1000;
      t.el.classList.toggle("stale", stale);
      note.hidden = !stale;
      if (stale) {
        staleTiles++;
        const when = age > 20 * 3600 * 1000 ? D.dateFormat.format(new Date(asOf)) + " " : "";
        note.textContent = "⚠ " + text.staleSince + " " + when + D.timeOfDay.format(new Date(asOf));
      }
    }
    document.body.dataset.staleTiles = String(staleTiles);
  }

  function showBanner(message) {
    bannerText.textContent = message;
    banner.hidden = false;
  }

  function hideBanner() { banner.hidden = true; }

  async function resolveBoard() {
    const params = new URLSearchParams(location.search);
    const display = location.pathname.match(/^\/display\/([^/]+)/);
    if (display) {
      displayToken = decodeURIComponent(display[1]);
      const res = await fetch("/api/display/" + encodeURIComponent(displayToken), { cache: "no-store" });
      if (!res.ok) { throw new Error("refused"); }
      return (await res.json()).boardId;
    }
    displayToken = params.get("token");
    const config = await fetch("/api/config", { cache: "no-store" }).then(r => r.json());
    // Without a display link, in production (no anonymous reading), someone not signed in is offered the sign-in
    // page and brought back here afterwards, instead of a hub that would refuse them.
    if (!displayToken && config.signInRequired) {
      const me = await fetch("/auth/me", { cache: "no-store" }).then(r => r.json());
      if (!me.name) { throw new Error("sign-in"); }
    }
    const m = location.pathname.match(/^\/boards\/([^/]+)/);
    return m ? decodeURIComponent(m[1]) : config.defaultBoard;
  }

  function retryDelay(attempt) { return Math.min(30000, 1000 * Math.pow(2, Math.min(attempt, 5))); }

  async function main() {
    try {
      boardId = await resolveBoard();
    } catch (e) {
      refused = true;
      if (e.message === "sign-in") {
        location.replace("/login?ReturnUrl=" + encodeURIComponent(location.pathname + location.search));
        return;
      }
      showBanner(e.message === "refused" ? text.refused : text.reconnecting);
      // The server may have been down rather than the link revoked: try again in a minute.
      setTimeout(() => location.reload(), 60000);
      return;
    }
    const url = "/hubs/dashboard" + (displayToken ? "?token=" + encodeURIComponent(displayToken) : "");
    const connection = new signalR.HubConnectionBuilder()
      // The WebSocket at once, without a negotiation request first: behind a balancer without sticky sessions the
      // negotiation and the socket could reach different instances.
      .withUrl(url, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
      // Never give up (the library's default stops after four attempts).
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => retryDelay(ctx.previousRetryCount) })
      .configureLogging(signalR.LogLevel.None)
      .build();
    connection.serverTimeoutInMilliseconds = 20000;
    connection.keepAliveIntervalInMilliseconds = 5000;
    // Other modules (alerts) attach their handlers to the same connection.
    document.dispatchEvent(new CustomEvent("driftvy:connection", { detail: { connection, boardId, displayToken } }));
    connection.on("BoardUpdated", s => { if (s.boardId === boardId && !refused) { render(s); } });
    // Revoked on any instance: stop at once rather than wait to be disconnected.
    connection.on("DisplayRevoked", () => { refuse(connection); });
    connection.onreconnecting(() => { clearTimeout(joinTimer); if (!refused) { showBanner(text.reconnecting); } });
    connection.onreconnected(() => join(connection, 0));
    connection.onclose(() => {
      clearTimeout(joinTimer);
      if (refused) { return; }
      showBanner(text.reconnecting);
      start(connection, 0);
    });
    await start(connection, 0);
  }

  // The codes the hub refuses JoinBoard with (Security/HubErrors.cs); a failure without one (a store that timed
  // out, an instance going down) is transient and the join is tried again.
  const hubErrors = {
    unknownBoard: "unknown-board",
    displayTokenRefused: "display-token-refused",
    displayTokenOtherBoard: "display-token-other-board",
    boardNotAllowed: "board-not-allowed",
    sessionEnded: "session-ended",
  };

  function hubErrorCode(e) {
    const m = /HubException: ([a-z-]+)\s*$/.exec(String(e && e.message || ""));
    return m ? m[1] : null;
  }

  let joinTimer = null;

  function refuse(connection) {
    refused = true;
    clearTimeout(joinTimer);
    showBanner(text.refused);
    connection.stop();
  }

  async function join(connection, attempt) {
    clearTimeout(joinTimer);
    try {
      const s = await connection.invoke("JoinBoard", boardId);
      refused = false;
      document.dispatchEvent(new CustomEvent("driftvy:joined", { detail: { boardId } }));
      hideBanner();
      render(s);
    } catch (e) {
      const code = hubErrorCode(e);
      if (code === hubErrors.displayTokenRefused || code === hubErrors.displayTokenOtherBoard || code === hubErrors.boardNotAllowed || code === hubErrors.sessionEnded) {
        refuse(connection);
        return;
      }
      showBanner(code === hubErrors.unknownBoard ? text.unknownBoard + ": " + boardId : text.reconnecting);
      // Tried again with backoff while the connection stands; a new connection joins anew by itself.
      if (connection.state === signalR.HubConnectionState.Connected) {
        joinTimer = setTimeout(() => join(connection, attempt + 1), retryDelay(attempt));
      }
    }
  }

  async function start(connection, attempt) {
    if (refused) { return; }
    try {
      await connection.start();
      await join(connection, 0);
    } catch (e) {
      if (!refused) { showBanner(attempt === 0 ? text.connecting : text.reconnecting); }
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

  // A chart is drawn in pixels for the size its box had. The box changes without the window doing so — the connection
  // banner takes a line at the top, a page comes into view — and a chart left at its old size runs over the legend
  // below it; so every chart box is watched and its chart redrawn at the new size (once per frame).
  const resizedTiles = new Set();
  let resizeFrame = null;
  const chartSizes = new ResizeObserver(entries => {
    for (const entry of entries) {
      const tileEl = entry.target.closest(".tile");
      const t = tileEl && tiles.get(tileEl.dataset.tile);
      if (t) { resizedTiles.add(t); }
    }
    if (resizeFrame === null) {
      resizeFrame = requestAnimationFrame(() => {
        resizeFrame = null;
        const due = [...resizedTiles];
        resizedTiles.clear();
        if (snapshot) { for (const t of due) { if (tiles.get(t.el.dataset.tile) === t) { drawChart(t); } } }
      });
    }
  });

  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (snapshot) { for (const t of tiles.values()) { drawChart(t); } } }, 200);
  });

  setInterval(tick, 1000);
  scheduleNightlyReload();
  main();
})();
