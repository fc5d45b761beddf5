// The daily steering view: yesterday, this week, month and year to date against target and last year, per queue and
// per team; notes on days and times; the call-back list; fixing the tertial report. Loads never overlap: a load
// starts only after the previous one ended, and the latest request (a date picked, a note added, the minute's
// refresh) wins; an overtaken load leaves its figures unshown.
import { getJson, isTeamLeader, send, type Me, tryGetJson, whoAmI } from "../shared/api";
import { byId, el } from "../shared/dom";
import { Formats } from "../shared/format";
import { applyLabels, fill, langFrom } from "../shared/i18n";
import { LatestLoader, type LoadRun } from "../shared/latest";
import { parseDate, stockholmDate, stockholmDay, stockholmLocalInput } from "../shared/stockholm";
import type { CallbackCandidate, Schemas } from "../shared/wire";
import { finishedTertial, monthlyReportFor, tertialOf } from "../shared/periods";

// The answers this page reads, as the server's OpenAPI document describes them (generated at build time): a field
// renamed on the server fails this page's type check.
type SteeringView = Schemas["SteeringView"];
type SteeringRow = SteeringView["queues"][number];
type SteeringPeriod = SteeringView["periods"][number];
type Annotation = SteeringView["annotations"][number];
type AlarmEntry = Schemas["AlertLogEntry"];
type StaffingWeek = Schemas["WeekNeedView"];
// The tertial report's JSON export is a file format (README, Data formats), not an API answer: its shape is written here.
interface Fixed { at: string; by: string; acceptedGaps?: string[]; accepted_gaps?: string[] }
interface TertialReport { fixed: Fixed | null; divisions: { rows: { value: number | null; status: string }[] }[] }
interface Tertial { year: number; point: string }

const lang = langFrom(location.search);
document.documentElement.lang = lang;
const fmt = new Formats(lang);
const t = fmt.texts.steering;
const sv = lang === "sv";
applyLabels(document, t);
document.title = t.title + " – Driftvy";

const dateEl = byId<HTMLInputElement>("date");
const statusEl = byId("status");
dateEl.value = new URLSearchParams(location.search).get("date") || stockholmDate(Date.now());

function rowTable(row: SteeringRow, periods: SteeringPeriod[]): HTMLElement {
  const box = el("article", { class: "row" }, el("h3", { text: sv ? row.name : row.nameEn }));
  if (row.dataAsOf) { box.append(el("p", { class: "hint", text: t.asOf + " " + fmt.dayMonth(row.dataAsOf) + " " + fmt.timeOfDay(row.dataAsOf) })); }
  const table = el("table", { class: "figures" },
    el("tr", null, el("th", { text: t.measure }), ...periods.map(p => el("th", { text: t.periods[p.id] ?? p.id }))));
  for (const m of row.measures) {
    const tr = el("tr", null, el("th", { class: "measure", text: sv ? m.name : m.nameEn }));
    for (const p of periods) {
      const c = m.cells[p.id] ?? { value: null, target: null, status: "no-data", lastYear: null, note: null };
      const [icon, label] = fmt.status(c.status);
      const sub: string[] = [];
      if (c.target != null) { sub.push(t.target + " " + fmt.value(c.target, m.unit)); }
      if (c.lastYear != null) { sub.push(t.lastYear + " " + fmt.value(c.lastYear, m.unit)); }
      const td = el("td", { class: "cell", data: { status: c.status }, attrs: { title: c.note || label } },
        el("div", { class: "cell-value" }, el("span", { class: "icon", text: icon }), " " + fmt.value(c.value, m.unit)),
        el("div", { class: "cell-sub", text: sub.join(" · ") || label }));
      tr.append(td);
    }
    table.append(tr);
  }
  box.append(table);
  if (row.backlogAges) {
    box.append(el("p", { class: "ages", text: t.ages + ": " + Object.entries(row.backlogAges).map(([k, v]) => k + ": " + fmt.integer(v)).join(" · ") }));
  }
  return box;
}

// One queue's staffing: "Behov 14 · Inne 11 · −3", where today ends, the agent-hours to closing, and the week.
function staffingRow(name: string, w: StaffingWeek): HTMLElement {
  const st = fmt.texts.staffing;
  const n = w.today;
  const status = n.gap == null ? "no-data" : n.gap >= 0 ? "on-target" : n.gap === -1 ? "near-target" : "off-target";
  const box = el("article", { class: "staffing-row", data: { queue: w.queue, status } }, el("h3", { text: name }));
  box.append(el("p", { class: "staffing-line", text: st.need + " " + fmt.integer(n.need_now) + " · " + st.in + " " + fmt.integer(n.agents_answering) + " · " + fmt.gap(n.gap) }));
  const hours = (v: number | null): string => fmt.value(v, "score");
  const p = n.rest_of_day.projection;
  if (p) {
    box.append(el("p", { text: st.endsAt + " " + fmt.share(p.projected_service_level) + " (" + st.target + " " + fmt.share(n.service_level_target) + ")" }));
    box.append(el("p", { text: st.hours + ": " + fill(st.hoursLine, { now: hours(p.agent_hours_as_staffed), need: hours(p.agent_hours_needed), day: hours(p.agent_hours_for_day_target) }) }));
  }
  if (n.rest_of_day.reforecast) { box.append(el("p", { class: "hint", text: st.reforecast + ": " + n.rest_of_day.reforecast.explanation })); }
  if (n.rest_of_day.reason) { box.append(el("p", { class: "hint", text: n.rest_of_day.reason })); }
  if (n.snapshot_stale && n.snapshot_at) { box.append(el("p", { class: "hint", text: st.stale + " " + fmt.timeOfDay(n.snapshot_at) })); }
  const table = el("table", { class: "figures staffing-week" },
    el("tr", null, ...[t.day, t.calls, t.agentHours, t.peak, t.serviceLevel].map(h => el("th", { text: h }))));
  for (const d of w.days.filter(x => !x.reason)) {
    table.append(el("tr", { data: { basis: d.basis } },
      el("th", { class: "measure", text: fmt.dayMonthOfDate(d.date) + " (" + (t.basis[d.basis] ?? d.basis) + ")" }),
      el("td", { text: fmt.integer(d.calls) }),
      el("td", { text: hours(d.agent_hours_needed) }),
      el("td", { text: fmt.integer(d.peak_agents) }),
      el("td", { text: fmt.share(d.service_level) })));
  }
  box.append(table);
  return box;
}

async function staffingRows(queues: SteeringRow[]): Promise<HTMLElement[]> {
  const weeks = await Promise.all(queues.map(async q => {
    const w = await tryGetJson<StaffingWeek>("/api/staffing/queues/" + encodeURIComponent(q.id) + "/week");
    return w && { name: sv ? q.name : q.nameEn, w };
  }));
  const shown = weeks.filter((x): x is { name: string; w: StaffingWeek } => !!x && !!x.w.today.target_kpi);
  return shown.length ? shown.map(x => staffingRow(x.name, x.w)) : [el("p", { class: "hint", text: t.none })];
}

function noteItem(a: Annotation): HTMLElement {
  const when = fmt.dayMonth(a.start) + " " + fmt.timeOfDay(a.start) + (a.end ? "–" + fmt.timeOfDay(a.end) : "");
  return el("li", { text: when + (a.subject ? " · " + a.subject : "") + " · " + a.text });
}

// The day's alarm log (the alert lifecycle: fired, acknowledged, resolved) for the meeting to go through: the
// Stockholm day, whichever zone the browser is in.
async function alarmItems(dateText: string): Promise<HTMLElement[]> {
  const day = stockholmDay(dateText);
  const entries = day && await tryGetJson<AlarmEntry[]>("/api/alerts/log?from=" + encodeURIComponent(day.from.toISOString()) + "&to=" + encodeURIComponent(day.to.toISOString()));
  if (!entries) { return [el("li", { class: "hint", text: t.failed })]; }
  return entries.length ? entries.slice(0, 12).map(a => {
    const state = a.resolvedAtMs ? t.alarmResolved + " " + fmt.timeOfDay(a.resolvedAtMs) : t.alarmOpen;
    const acked = a.acknowledgedBy ? " · " + t.alarmAcked + " " + a.acknowledgedBy : "";
    return el("li", { text: fmt.timeOfDay(a.firedAtMs) + " · " + a.name + " · " + state + acked });
  }) : [el("li", { class: "hint", text: t.none })];
}

// The report buttons follow the chosen date: the tertial it falls in and the month before it, the one the monthly
// report is made for.
function updateReportLinks(dateText: string): void {
  const d = parseDate(dateText);
  if (!d) { return; }
  const tertial = tertialOf(d.year, d.month);
  byId<HTMLAnchorElement>("report-tertial").href = "/api/reports/tertial/" + tertial.year + "/" + tertial.point + "?format=xlsx";
  const monthly = monthlyReportFor(d.year, d.month);
  byId<HTMLAnchorElement>("report-monthly").href = "/api/reports/monthly/" + monthly.year + "/" + monthly.month + "?format=xlsx";
}

// ---- Fixing (fastställa) the tertial report: admins only, after a preview and a confirm step. ----
let fixTarget: Tertial | null = null;

function fixedText(fixed: Fixed): string {
  const gaps = fixed.acceptedGaps || fixed.accepted_gaps || [];
  return fill(t.fixedBy, { when: fmt.minute(fixed.at), by: fixed.by }) + (gaps.length ? ", " + fill(t.fixGaps, { n: gaps.length }) : "") + ".";
}

function reportUrl(target: Tertial): string { return "/api/reports/tertial/" + target.year + "/" + target.point; }

// The report as a download would give it now: fixed (by whom, when), or preliminary and how many rows lack data.
async function loadFixStatus(target: Tertial): Promise<void> {
  byId("fix-report-name").textContent = target.point + " " + target.year;
  byId<HTMLAnchorElement>("fix-preview").href = reportUrl(target) + "?format=html";
  byId("fix-status").textContent = t.loading;
  const report = await tryGetJson<TertialReport>(reportUrl(target) + "?format=json");
  if (!report) { byId("fix-status").textContent = t.failed; return; }
  const missing = report.divisions.reduce((n, d) => n + d.rows.filter(r => r.value == null && r.status === "no-data").length, 0);
  byId("fix-status").textContent = report.fixed ? fixedText(report.fixed) : t.preliminary + (missing ? " · " + fill(t.missingRows, { n: missing }) : "");
  byId("fix-start").hidden = !!report.fixed;
}

async function showFixPanel(me: Me, dateText: string): Promise<void> {
  const panel = byId("report-fix");
  panel.hidden = !me.roles.includes("admin");
  if (panel.hidden) { return; }
  const d = parseDate(dateText);
  if (!d) { return; }
  const target = finishedTertial(d.year, d.month);
  if (fixTarget && fixTarget.year === target.year && fixTarget.point === target.point) { return; }
  fixTarget = target;
  byId("fix-confirm").hidden = true;
  byId("fix-result").textContent = "";
  await loadFixStatus(target);
}

byId("fix-start").addEventListener("click", () => {
  if (!fixTarget) { return; }
  byId("fix-question").textContent = fill(t.fixQuestion, { name: fixTarget.point + " " + fixTarget.year });
  byId("fix-gaps").replaceChildren();
  byId("fix-accept-label").hidden = true;
  byId<HTMLInputElement>("fix-accept").checked = false;
  byId("fix-result").textContent = "";
  byId("fix-confirm").hidden = false;
});
byId("fix-cancel").addEventListener("click", () => { byId("fix-confirm").hidden = true; });
byId("fix-confirm-button").addEventListener("click", async () => {
  if (!fixTarget) { return; }
  const result = byId("fix-result");
  const res = await send("POST", reportUrl(fixTarget) + "/fix" + (byId<HTMLInputElement>("fix-accept").checked ? "?acceptGaps=true" : ""));
  const body = (await res.json().catch(() => ({}))) as { fixed?: Fixed; gaps?: string[]; detail?: string };
  if (res.ok && body.fixed) {
    result.dataset.kind = "fixed";
    result.textContent = fixedText(body.fixed);
    byId("fix-confirm").hidden = true;
    await loadFixStatus(fixTarget);
    return;
  }
  result.dataset.kind = "refused";
  const gaps = body.gaps || [];
  if (res.status === 409 && gaps.length) {
    // Refused for want of data: name the rows, and let the person accept them explicitly.
    result.textContent = fill(t.fixGapsRefused, { n: gaps.length });
    byId("fix-gaps").replaceChildren(...gaps.map(g => el("li", { text: g })));
    byId("fix-accept-label").hidden = false;
  } else {
    result.textContent = res.status === 403 ? t.fixForbidden : t.fixRefused + ": " + (body.detail || res.status);
  }
});

function callbackRows(callbacks: CallbackCandidate[] | null, queues: SteeringRow[]): HTMLElement[] {
  // The call-back list is for team leaders; others see a hint to sign in instead.
  if (callbacks === null) { return [el("tr", { class: "hint", text: t.signInForCallbacks })]; }
  if (callbacks.length === 0) { return [el("tr", { text: t.none })]; }
  // The oldest first, as they should be called; the rest are counted, not listed.
  const shown = callbacks.slice(0, 15);
  const queueNames = new Map(queues.map(q => [q.id, sv ? q.name : q.nameEn]));
  // Two columns: the masked number on one line, and what is known about the calls beside it (wrapping as needed).
  const rows = shown.map(c => el("tr", null,
    el("td", { class: "number", text: c.callerMasked }),
    el("td", { class: "callback-details", text: [queueNames.get(c.queue) || c.queue, fmt.timeOfDay(c.lastAbandonedAt),
      c.attempts + " " + t.attempts + ", " + t.waited + " " + fmt.wait(c.longestWaitSeconds)].join(" · ") })));
  if (callbacks.length > shown.length) { rows.push(el("tr", { class: "hint", text: "+ " + (callbacks.length - shown.length) + " " + t.more })); }
  return rows;
}

async function load(run: LoadRun<string>): Promise<void> {
  const dateText = run.request;
  updateReportLinks(dateText);
  statusEl.textContent = t.loading;
  try {
    // Only team leaders (and admins) may see the call-back list; ask first instead of provoking a 401.
    const me = await whoAmI();
    // The report is computed for its status: not awaited, so the figures below are not held up by it.
    showFixPanel(me, dateText).catch(() => { byId("fix-status").textContent = t.failed; });
    const [view, callbacks] = await Promise.all([
      getJson<SteeringView>("/api/steering?date=" + encodeURIComponent(dateText)),
      isTeamLeader(me) ? tryGetJson<CallbackCandidate[]>("/api/callbacks") : Promise.resolve(null),
    ]);
    const [alarms, staffing] = await Promise.all([alarmItems(dateText), staffingRows(view.queues)]);
    // A newer request is waiting: its load draws the page, not this one.
    if (run.superseded()) { return; }
    byId("queues").replaceChildren(...view.queues.map(r => rowTable(r, view.periods)));
    byId("teams").replaceChildren(...view.teams.map(r => rowTable(r, view.periods)));
    byId("notes").replaceChildren(...(view.annotations.length ? view.annotations.slice(-12).reverse().map(noteItem) : [el("li", { class: "hint", text: t.none })]));
    byId("subjects").replaceChildren(...[...view.queues, ...view.teams].map(r => el("option", { text: r.name, attrs: { value: r.id } })));
    byId("callbacks").replaceChildren(...callbackRows(callbacks, view.queues));
    byId("alarms").replaceChildren(...alarms);
    byId("staffing").replaceChildren(...staffing);
    statusEl.textContent = "";
    document.body.dataset.loaded = "true";
    document.body.dataset.loads = String(Number(document.body.dataset.loads || "0") + 1);
  } catch {
    if (!run.superseded()) { statusEl.textContent = t.failed; }
  }
}

const loader = new LatestLoader<string>(load);
const reload = (): void => { void loader.request(dateEl.value); };

byId("note-form").addEventListener("submit", async ev => {
  ev.preventDefault();
  // The times typed are Stockholm times, whatever zone the browser is in.
  const local = (id: string): string | null => stockholmLocalInput(byId<HTMLInputElement>(id).value)?.toISOString() ?? null;
  const res = await send("POST", "/api/annotations", {
    subject: byId<HTMLInputElement>("note-subject").value || null,
    start: local("note-start"),
    end: local("note-end"),
    text: byId<HTMLInputElement>("note-text").value,
  });
  if (res.ok) { byId<HTMLInputElement>("note-text").value = ""; reload(); } else { statusEl.textContent = t.failed; }
});
dateEl.addEventListener("change", reload);
// The meeting stands in front of this page: keep it current without anyone touching it.
setInterval(reload, 60000);
reload();
