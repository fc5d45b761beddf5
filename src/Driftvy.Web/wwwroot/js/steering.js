// The daily steering view: yesterday, this week, month and year to date against target and last year,
// per queue and per team; notes on days and times; the call-back list. Plain DOM, no inline script.
"use strict";

(function () {
  const D = window.Driftvy;
  const sv = D.lang !== "en";
  const t = sv
    ? { title: "Daglig styrning", date: "Datum", queues: "Köer", teams: "Team", callbacks: "Ring tillbaka", signInForCallbacks: "Logga in som teamledare för att se ring-tillbaka-listan.", reportTertial: "Tertialrapport (Excel)", reportMonthly: "Månadsrapport (Excel)", notes: "Händelser", alarms: "Larm i dag", alarmOpen: "pågår", alarmAcked: "kvitterat av", alarmResolved: "åtgärdat", add: "Lägg till",
        callbacksHint: "Gav upp i kön idag efter längre väntan än ett kort avbrott (korta avbrott räknas inte) och har inte fått svar på något senare samtal idag.", subject: "Kö eller team (tomt = alla)", noteText: "Vad hände?",
        periods: { yesterday: "Igår", week: "Veckan", month: "Månaden", ytd: "Året" }, measure: "Mått", lastYear: "i fjol", target: "mål",
        ages: "Öppna ärenden efter ålder (arbetsdagar)", loading: "Hämtar…", failed: "Kunde inte hämta siffrorna", none: "Inga", attempts: "försök", waited: "väntade", more: "till",
        asOf: "Data från", staffing: "Bemanning", staffingHint: "Just nu och veckan: agenter som behövs för målet mot inloggade, var dagen slutar med nuvarande bemanning.",
        day: "Dag", calls: "Samtal", agentHours: "Agenttimmar", peak: "Flest samtidigt", serviceLevel: "Servicenivå", basis: { actual: "utfall", today: "idag", expected: "förväntat" },
        fixTitle: "Fastställ tertialrapport", fixPreview: "Förhandsgranska", fixStart: "Fastställ…", fixConfirm: "Fastställ", fixCancel: "Avbryt",
        fixAccept: "Jag har gått igenom raderna utan underlag och fastställer ändå", fixedBy: "Fastställd {when} av {by}", fixGaps: "med {n} rader utan underlag",
        preliminary: "Preliminär, inte fastställd", missingRows: "{n} rader saknar underlag", fixQuestion: "Fastställa {name}? Siffrorna låses: varje senare export återger den fastställda rapporten.",
        fixRefused: "Inte fastställd", fixGapsRefused: "Inte fastställd: {n} rader saknar underlag. Fastställ bara om det är rätt, genom att acceptera luckorna.", fixForbidden: "Bara administratörer kan fastställa rapporten." }
    : { title: "Daily steering", date: "Date", queues: "Queues", teams: "Teams", callbacks: "Call back", signInForCallbacks: "Sign in as a team leader to see the call-back list.", reportTertial: "Tertial report (Excel)", reportMonthly: "Monthly report (Excel)", notes: "Events", alarms: "Alerts today", alarmOpen: "open", alarmAcked: "acknowledged by", alarmResolved: "resolved", add: "Add",
        callbacksHint: "Gave up in the queue today after waiting longer than a short abandon (short abandons are not counted) and not answered on any later call today.", subject: "Queue or team (empty = all)", noteText: "What happened?",
        periods: { yesterday: "Yesterday", week: "This week", month: "Month to date", ytd: "Year to date" }, measure: "Measure", lastYear: "last year", target: "target",
        ages: "Open cases by age (working days)", loading: "Loading…", failed: "Could not load the figures", none: "None", attempts: "attempts", waited: "waited", more: "more",
        asOf: "Data as of", staffing: "Staffing", staffingHint: "Now and this week: agents the target needs against agents logged in, and where today ends at today's staffing.",
        day: "Day", calls: "Calls", agentHours: "Agent-hours", peak: "Most at once", serviceLevel: "Service level", basis: { actual: "actual", today: "today", expected: "expected" },
        fixTitle: "Fix the tertial report", fixPreview: "Preview", fixStart: "Fix…", fixConfirm: "Fix", fixCancel: "Cancel",
        fixAccept: "I have gone through the rows without data and fix the report anyway", fixedBy: "Fixed {when} by {by}", fixGaps: "with {n} rows without data",
        preliminary: "Preliminary, not fixed", missingRows: "{n} rows without data", fixQuestion: "Fix {name}? The figures are locked: every later export reproduces the fixed report.",
        fixRefused: "Not fixed", fixGapsRefused: "Not fixed: {n} rows have no data. Fix only if that is right, by accepting the gaps.", fixForbidden: "Only administrators can fix the report." };
  for (const el of document.querySelectorAll("[data-label]")) { if (t[el.dataset.label]) { el.textContent = t[el.dataset.label]; } }
  for (const el of document.querySelectorAll("[data-placeholder]")) { el.placeholder = t[el.dataset.placeholder]; }
  document.title = t.title + " – Driftvy";

  const dateEl = document.getElementById("date");
  const statusEl = document.getElementById("status");
  const params = new URLSearchParams(location.search);
  dateEl.value = params.get("date") || new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm" }).format(new Date());

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text != null) { e.textContent = text; }
    return e;
  }

  function rowTable(row, periods) {
    const box = el("article", "row");
    box.appendChild(el("h3", null, sv ? row.name : row.nameEn));
    if (row.dataAsOf) { box.appendChild(el("p", "hint", t.asOf + " " + D.dateFormat.format(new Date(row.dataAsOf)) + " " + D.timeOfDay.format(new Date(row.dataAsOf)))); }
    const table = el("table", "figures");
    const head = el("tr");
    head.appendChild(el("th", null, t.measure));
    for (const p of periods) { head.appendChild(el("th", null, t.periods[p.id])); }
    table.appendChild(head);
    for (const m of row.measures) {
      const tr = el("tr");
      tr.appendChild(el("th", "measure", sv ? m.name : m.nameEn));
      for (const p of periods) {
        const c = m.cells[p.id];
        const td = el("td", "cell");
        td.dataset.status = c.status;
        const [icon, label] = D.statusText[c.status] || D.statusText["no-data"];
        const main = el("div", "cell-value");
        main.appendChild(el("span", "icon", icon));
        main.appendChild(document.createTextNode(" " + D.value(c.value, m.unit)));
        td.appendChild(main);
        td.title = c.note || label;
        const sub = [];
        if (c.target != null) { sub.push(t.target + " " + D.value(c.target, m.unit)); }
        if (c.lastYear != null) { sub.push(t.lastYear + " " + D.value(c.lastYear, m.unit)); }
        td.appendChild(el("div", "cell-sub", sub.join(" · ") || label));
        tr.appendChild(td);
      }
      table.appendChild(tr);
    }
    box.appendChild(table);
    if (row.backlogAges) {
      const ages = el("p", "ages", t.ages + ": " + Object.entries(row.backlogAges).map(([k, v]) => k + ": " + D.integer.format(v)).join(" · "));
      box.appendChild(ages);
    }
    return box;
  }

  // One queue's staffing: "Behov 14 · Inne 11 · −3", where today ends, the agent-hours to closing, and the week.
  function staffingRow(name, w) {
    const st = D.text.staffing;
    const n = w.today;
    const box = el("article", "staffing-row");
    box.dataset.queue = w.queue;
    box.dataset.status = n.gap == null ? "no-data" : n.gap >= 0 ? "on-target" : n.gap === -1 ? "near-target" : "off-target";
    box.appendChild(el("h3", null, name));
    const num = v => v == null ? "–" : D.integer.format(v);
    const gap = n.gap == null ? "–" : n.gap > 0 ? "+" + D.integer.format(n.gap) : n.gap < 0 ? "−" + D.integer.format(-n.gap) : "±0";
    box.appendChild(el("p", "staffing-line", st.need + " " + num(n.need_now) + " · " + st.in + " " + num(n.agents_answering) + " · " + gap));
    const pct = v => v == null ? "–" : D.value(v * 100, "percent");
    const p = n.rest_of_day.projection;
    const hours = v => v == null ? "–" : D.value(v, "score");
    if (p) {
      box.appendChild(el("p", null, st.endsAt + " " + pct(p.projected_service_level) + " (" + st.target + " " + pct(n.service_level_target) + ")"));
      box.appendChild(el("p", null, st.hours + ": " + st.hoursLine(hours(p.agent_hours_as_staffed), hours(p.agent_hours_needed), hours(p.agent_hours_for_day_target))));
    }
    if (n.rest_of_day.reforecast) { box.appendChild(el("p", "hint", st.reforecast + ": " + n.rest_of_day.reforecast.explanation)); }
    if (n.rest_of_day.reason) { box.appendChild(el("p", "hint", n.rest_of_day.reason)); }
    if (n.snapshot_stale) { box.appendChild(el("p", "hint", st.stale + " " + D.timeOfDay.format(new Date(n.snapshot_at)))); }
    const table = el("table", "figures staffing-week");
    const head = el("tr");
    for (const h of [t.day, t.calls, t.agentHours, t.peak, t.serviceLevel]) { head.appendChild(el("th", null, h)); }
    table.appendChild(head);
    for (const d of w.days.filter(x => !x.reason)) {
      const tr = el("tr");
      tr.dataset.basis = d.basis;
      tr.appendChild(el("th", "measure", D.dateFormat.format(new Date(d.date + "T12:00:00")) + " (" + t.basis[d.basis] + ")"));
      tr.appendChild(el("td", null, D.integer.format(d.calls)));
      tr.appendChild(el("td", null, hours(d.agent_hours_needed)));
      tr.appendChild(el("td", null, D.integer.format(d.peak_agents)));
      tr.appendChild(el("td", null, pct(d.service_level)));
      table.appendChild(tr);
    }
    box.appendChild(table);
    return box;
  }

  async function loadStaffing(queues) {
    const weeks = await Promise.all(queues.map(q => fetch("/api/staffing/queues/" + encodeURIComponent(q.id) + "/week", { cache: "no-store" })
      .then(r => r.ok ? r.json() : null).then(w => w && { name: sv ? q.name : q.nameEn, w })));
    const shown = weeks.filter(x => x && x.w.today.target_kpi);
    document.getElementById("staffing").replaceChildren(...(shown.length ? shown.map(x => staffingRow(x.name, x.w)) : [el("p", "hint", t.none)]));
  }

  function noteItem(a) {
    const start = new Date(a.start);
    const when = D.dateFormat.format(start) + " " + D.timeOfDay.format(start) + (a.end ? "–" + D.timeOfDay.format(new Date(a.end)) : "");
    return el("li", null, when + (a.subject ? " · " + a.subject : "") + " · " + a.text);
  }

  // Today's alarm log (the alert lifecycle: fired, acknowledged, resolved) for the meeting to go through.
  async function loadAlarms() {
    const from = new Date(dateEl.value + "T00:00:00");
    const to = new Date(from.getTime() + 86400000);
    const res = await fetch("/api/alerts/log?from=" + encodeURIComponent(from.toISOString()) + "&to=" + encodeURIComponent(to.toISOString()), { cache: "no-store" });
    const list = document.getElementById("alarms");
    if (!res.ok) { list.replaceChildren(el("li", "hint", t.failed)); return; }
    const entries = await res.json();
    list.replaceChildren(...(entries.length ? entries.slice(0, 12).map(a => {
      const state = a.resolvedAtMs ? t.alarmResolved + " " + D.timeOfDay.format(new Date(a.resolvedAtMs)) : t.alarmOpen;
      const acked = a.acknowledgedBy ? " · " + t.alarmAcked + " " + a.acknowledgedBy : "";
      return el("li", null, D.timeOfDay.format(new Date(a.firedAtMs)) + " · " + a.name + " · " + state + acked);
    }) : [el("li", "hint", t.none)]));
  }

  // The report buttons follow the chosen date: the tertial it falls in (T1, T2, or the VB in Sep–Dec) and
  // the month before it, the one the monthly report is made for.
  function updateReportLinks() {
    const d = new Date(dateEl.value + "T12:00:00");
    const year = d.getFullYear();
    const m = d.getMonth() + 1;
    const point = m <= 4 ? "T1" : m <= 8 ? "T2" : "VB";
    document.getElementById("report-tertial").href = "/api/reports/tertial/" + year + "/" + point + "?format=xlsx";
    const prev = new Date(year, m - 2, 1);
    document.getElementById("report-monthly").href = "/api/reports/monthly/" + prev.getFullYear() + "/" + (prev.getMonth() + 1) + "?format=xlsx";
  }

  // ---- Fixing (fastställa) the tertial report: admins only, after a preview and a confirm step. ----
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
  const stockholmMinute = new Intl.DateTimeFormat("sv-SE", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZone: "Europe/Stockholm" });
  const fixEl = id => document.getElementById(id);
  let fixTarget = null;

  // The last tertial that has ended on the chosen date: the one there is something to fix.
  function finishedTertial(dateText) {
    const [year, month] = dateText.split("-").map(Number);
    return month <= 4 ? { year: year - 1, point: "VB" } : month <= 8 ? { year, point: "T1" } : { year, point: "T2" };
  }

  function fixedText(fixed) {
    const gaps = fixed.acceptedGaps || fixed.accepted_gaps || [];
    return fill(t.fixedBy, { when: stockholmMinute.format(new Date(fixed.at)), by: fixed.by }) + (gaps.length ? ", " + fill(t.fixGaps, { n: gaps.length }) : "") + ".";
  }

  function reportUrl(target) { return "/api/reports/tertial/" + target.year + "/" + target.point; }

  // The report as a download would give it now: fixed (by whom, when), or preliminary and how many rows lack data.
  async function loadFixStatus(target) {
    fixEl("fix-report-name").textContent = target.point + " " + target.year;
    fixEl("fix-preview").href = reportUrl(target) + "?format=html";
    fixEl("fix-status").textContent = t.loading;
    const res = await fetch(reportUrl(target) + "?format=json", { cache: "no-store" });
    if (!res.ok) { fixEl("fix-status").textContent = t.failed; return; }
    const report = await res.json();
    const missing = report.divisions.reduce((n, d) => n + d.rows.filter(r => r.value == null && r.status === "no-data").length, 0);
    fixEl("fix-status").textContent = report.fixed ? fixedText(report.fixed) : t.preliminary + (missing ? " · " + fill(t.missingRows, { n: missing }) : "");
    fixEl("fix-start").hidden = !!report.fixed;
  }

  async function showFixPanel(roles, dateText) {
    const panel = fixEl("report-fix");
    panel.hidden = !roles.includes("admin");
    if (panel.hidden) { return; }
    const target = finishedTertial(dateText);
    if (fixTarget && fixTarget.year === target.year && fixTarget.point === target.point) { return; }
    fixTarget = target;
    fixEl("fix-confirm").hidden = true;
    fixEl("fix-result").textContent = "";
    await loadFixStatus(target);
  }

  fixEl("fix-start").addEventListener("click", () => {
    fixEl("fix-question").textContent = fill(t.fixQuestion, { name: fixTarget.point + " " + fixTarget.year });
    fixEl("fix-gaps").replaceChildren();
    fixEl("fix-accept-label").hidden = true;
    fixEl("fix-accept").checked = false;
    fixEl("fix-result").textContent = "";
    fixEl("fix-confirm").hidden = false;
  });
  fixEl("fix-cancel").addEventListener("click", () => { fixEl("fix-confirm").hidden = true; });
  fixEl("fix-confirm-button").addEventListener("click", async () => {
    const result = fixEl("fix-result");
    const af = await fetch("/auth/antiforgery", { cache: "no-store" }).then(r => r.json());
    const res = await fetch(reportUrl(fixTarget) + "/fix" + (fixEl("fix-accept").checked ? "?acceptGaps=true" : ""), { method: "POST", headers: { [af.header]: af.token } });
    const body = await res.json().catch(() => ({}));
    if (res.ok) {
      result.dataset.kind = "fixed";
      result.textContent = fixedText(body.fixed);
      fixEl("fix-confirm").hidden = true;
      await loadFixStatus(fixTarget);
      return;
    }
    result.dataset.kind = "refused";
    const gaps = body.gaps || [];
    if (res.status === 409 && gaps.length) {
      // Refused for want of data: name the rows, and let the person accept them explicitly.
      result.textContent = fill(t.fixGapsRefused, { n: gaps.length });
      fixEl("fix-gaps").replaceChildren(...gaps.map(g => el("li", null, g)));
      fixEl("fix-accept-label").hidden = false;
    } else {
      result.textContent = res.status === 403 ? t.fixForbidden : t.fixRefused + ": " + (body.detail || res.status);
    }
  });

  async function load() {
    updateReportLinks();
    statusEl.textContent = t.loading;
    try {
      // Only team leaders (and admins) may see the call-back list; ask first instead of provoking a 401.
      const me = await fetch("/auth/me", { cache: "no-store" }).then(r => r.json());
      const mayCallBack = me.roles.includes("teamleader") || me.roles.includes("admin");
      // The report is computed for its status: not awaited, so the figures below are not held up by it.
      showFixPanel(me.roles, dateEl.value).catch(() => { fixEl("fix-status").textContent = t.failed; });
      const [viewRes, cbRes] = await Promise.all([
        fetch("/api/steering?date=" + encodeURIComponent(dateEl.value), { cache: "no-store" }),
        mayCallBack ? fetch("/api/callbacks", { cache: "no-store" }) : Promise.resolve({ ok: false }),
      ]);
      if (!viewRes.ok) { throw new Error(String(viewRes.status)); }
      const view = await viewRes.json();
      // The call-back list is for team leaders; others see a hint to sign in instead.
      const callbacks = cbRes.ok ? await cbRes.json() : null;
      document.getElementById("queues").replaceChildren(...view.queues.map(r => rowTable(r, view.periods)));
      document.getElementById("teams").replaceChildren(...view.teams.map(r => rowTable(r, view.periods)));
      const notes = document.getElementById("notes");
      notes.replaceChildren(...(view.annotations.length ? view.annotations.slice(-12).reverse().map(noteItem) : [el("li", "hint", t.none)]));
      const subjects = document.getElementById("subjects");
      subjects.replaceChildren(...[...view.queues, ...view.teams].map(r => { const o = el("option"); o.value = r.id; o.textContent = r.name; return o; }));
      const cb = document.getElementById("callbacks");
      // The oldest first, as they should be called; the rest are counted, not listed.
      const shown = (callbacks || []).slice(0, 15);
      const queueNames = new Map(view.queues.map(q => [q.id, sv ? q.name : q.nameEn]));
      // Two columns: the masked number on one line, and what is known about the calls beside it (wrapping as needed).
      cb.replaceChildren(...(callbacks === null ? [el("tr", "hint", t.signInForCallbacks)] : callbacks.length ? shown.map(c => {
        const tr = el("tr");
        tr.appendChild(el("td", "number", c.callerMasked));
        tr.appendChild(el("td", "callback-details", [queueNames.get(c.queue) || c.queue, D.timeOfDay.format(new Date(c.lastAbandonedAt)),
          c.attempts + " " + t.attempts + ", " + t.waited + " " + D.wait(c.longestWaitSeconds)].join(" · ")));
        return tr;
      }) : [el("tr", null, t.none)]));
      if (callbacks && callbacks.length > shown.length) { cb.appendChild(el("tr", "hint", "+ " + (callbacks.length - shown.length) + " " + t.more)); }
      await loadAlarms();
      await loadStaffing(view.queues);
      statusEl.textContent = "";
      document.body.dataset.loaded = "true";
    } catch (e) {
      statusEl.textContent = t.failed;
    }
  }

  document.getElementById("note-form").addEventListener("submit", async ev => {
    ev.preventDefault();
    const local = id => { const v = document.getElementById(id).value; return v ? new Date(v).toISOString() : null; };
    // State changes carry the antiforgery token of the signed-in session.
    const af = await fetch("/auth/antiforgery", { cache: "no-store" }).then(r => r.json());
    const res = await fetch("/api/annotations", {
      method: "POST",
      headers: { "Content-Type": "application/json", [af.header]: af.token },
      body: JSON.stringify({ subject: document.getElementById("note-subject").value || null, start: local("note-start"), end: local("note-end"), text: document.getElementById("note-text").value }),
    });
    if (res.ok) { document.getElementById("note-text").value = ""; load(); } else { statusEl.textContent = t.failed; }
  });
  dateEl.addEventListener("change", load);
  // The meeting stands in front of this page: keep it current without anyone touching it.
  setInterval(load, 60000);
  load();
})();
