// Administration page: every tab reads the admin API and writes through it. State changes carry the session's
// antiforgery token (shared/api.ts); errors from the server (naming the field) are shown as they come.
import { getJson, sendJson, whoAmI } from "../shared/api";
import { byId, type Child, el } from "../shared/dom";
import { Formats } from "../shared/format";
import { applyLabels, fill, langFrom } from "../shared/i18n";
import { stockholmWallTime } from "../shared/stockholm";
import type { Schemas } from "../shared/wire";

// Every answer this page reads is typed from the server's OpenAPI document (generated at build time): a field renamed
// on the server fails this page's type check.

const lang = langFrom(location.search);
const fmt = new Formats(lang);
const a = fmt.texts.admin;
// The page's fixed labels in the chosen language; the links to the other pages keep it.
document.documentElement.lang = lang;
applyLabels(document, fmt.texts.adminPage);
document.title = fmt.texts.adminPage.title + " – Driftvy";
if (lang === "en") {
  for (const link of document.querySelectorAll<HTMLAnchorElement>(".links a")) { link.search = "?lang=en"; }
}
const message = byId("message");

function row(cells: Child[]): HTMLTableRowElement {
  return el("tr", null, ...cells.map(c => el("td", null, c == null ? "–" : c)));
}
function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = el("button", { text });
  b.addEventListener("click", onClick);
  return b;
}
function numberInput(value: number | null | undefined, step = "any", label?: string): HTMLInputElement {
  const i = el("input", { attrs: { type: "number", step, ...(label ? { "aria-label": label } : {}) } });
  if (value != null) { i.value = String(value); }
  return i;
}
const time = (v: string | number | null | undefined): string => fmt.minute(v);
function say(text: string, kind = "ok"): void { message.textContent = text; message.dataset.kind = kind; }
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function act(work: () => Promise<unknown>, done: string): Promise<void> {
  try {
    await work();
    say(done, "ok");
    await show(current);
  } catch (e) {
    say(fill(a.notSaved, { error: errorText(e) }), "error");
  }
}

// ---- Targets ----

async function loadTargets(): Promise<void> {
  const year = byId<HTMLInputElement>("target-year").value;
  const data = await getJson<Schemas["AdminTargetsView"]>("/api/admin/targets?year=" + encodeURIComponent(year));
  const body = byId<HTMLTableElement>("targets").tBodies[0]!;
  body.replaceChildren(...data.kpis.map(k => {
    // The target in force for the year, as the screens use it: the year's own, or an earlier year's carried forward
    // (the city's contact-centre targets date from 2015). Saving it makes it the year's own.
    const tv = k.target;
    const value = numberInput(tv?.value, "any", fill(a.targetLabel, { kpi: k.kpiId }));
    const tol = numberInput(tv?.tolerance, "any", fill(a.toleranceLabel, { kpi: k.kpiId }));
    const low = numberInput(tv?.bandLow), high = numberInput(tv?.bandHigh);
    const per = el("select", null, ...["År", "Tertial"].map(p => el("option", { text: a.periodicity[p] ?? p, attrs: { value: p } })));
    if (tv) { per.value = tv.periodicity; }
    const band = k.isBand ? el("span", null, low, " – ", high) : el("span", { text: "–" });
    const source = k.origin === "admin" ? a.changedHere : a.cityDocument;
    const origin = !tv ? a.noTarget : k.carriedForward ? fill(a.carriedForward, { source, from: tv.year, year }) : source;
    const originCell = el("span", { text: origin, ...(k.origin === "admin" && !k.carriedForward ? { class: "origin-admin" } : {}) });
    const actions = el("span", null, button(a.save, () => void act(() => sendJson("PUT", "/api/admin/targets", {
      kpiId: k.kpiId, year: Number(year), value: Number(value.value), tolerance: Number(tol.value || 0), periodicity: per.value,
      bandLow: k.isBand ? Number(low.value) : null, bandHigh: k.isBand ? Number(high.value) : null,
    }), fill(a.targetSaved, { kpi: k.kpiId, year }))));
    if (k.origin === "admin" && !k.carriedForward) {
      actions.append(" ", button(a.revert, () => void act(() => sendJson("DELETE", "/api/admin/targets/" + encodeURIComponent(k.kpiId) + "/" + year), a.targetReverted)));
    }
    const tr = row([k.nameSv + " (" + k.kpiId + ")", a.units[k.unit] || k.unit, value, tol, band, per, originCell, actions]);
    tr.dataset.kpi = k.kpiId;
    return tr;
  }));
}

// ---- KPI parameters ----

async function loadParameters(): Promise<void> {
  const data = await getJson<Schemas["AdminKpiParametersView"]>("/api/admin/kpi-parameters");
  byId<HTMLTableElement>("parameters").tBodies[0]!.replaceChildren(...data.kpis.map(k => {
    const list = el("ul", { class: "versions" }, ...k.versions.map(v => el("li", {
      text: fill(a.versionFrom, { version: v.version, from: v.effectiveFrom, parameters: Object.entries(v.parameters).map(([n, x]) => n + " = " + x).join(", ") }),
    })));
    const latest = k.versions[k.versions.length - 1];
    const date = el("input", { attrs: { type: "date", "aria-label": fill(a.validFrom, { kpi: k.kpiId }) } });
    date.value = data.today;
    const form = el("div", { class: "actions" }, date);
    const inputs: Record<string, HTMLInputElement> = {};
    for (const [name, value] of Object.entries(latest?.parameters ?? {})) {
      const i = numberInput(value, "1", name + " " + k.kpiId);
      inputs[name] = i;
      form.append(el("label", { text: name + " " }, i));
    }
    form.append(button(a.newVersion, () => void act(() => sendJson("POST", "/api/admin/kpi-parameters", {
      kpiId: k.kpiId, effectiveFrom: date.value,
      parameters: Object.fromEntries(Object.entries(inputs).map(([n, i]) => [n, Number(i.value)])),
    }), fill(a.versionSaved, { kpi: k.kpiId }))));
    const tr = row([k.nameSv + " (" + k.kpiId + ")", list, form]);
    tr.dataset.kpi = k.kpiId;
    return tr;
  }));
}

// ---- Staffing ----

async function loadStaffing(): Promise<void> {
  const year = byId<HTMLInputElement>("staffing-year").value;
  const data = await getJson<Schemas["AdminStaffingView"]>("/api/admin/staffing?year=" + encodeURIComponent(year));
  const table = byId<HTMLTableElement>("staffing");
  const monthName = (m: number): string => year + "-" + String(m).padStart(2, "0");
  table.tHead!.replaceChildren(el("tr", null, el("th", { text: a.team }), ...Array.from({ length: 12 }, (_, i) => el("th", { text: monthName(i + 1) }))));
  table.tBodies[0]!.replaceChildren(...data.teams.map(team => el("tr", { data: { team: team.id } },
    el("td", { text: team.nameSv }),
    ...team.months.map(cell => {
      const month = monthName(cell.month);
      const input = numberInput(cell.fte, "0.1", fill(a.fteLabel, { team: team.id, month }));
      input.addEventListener("change", () => void act(() => sendJson("PUT", "/api/admin/staffing", { month, team: team.id, fte: Number(input.value) }),
        fill(a.staffingSaved, { team: team.id, month })));
      return el("td", { class: "num" }, input);
    }))));
}

// ---- Boards ----
type BoardInfo = Schemas["AdminBoardItem"];

async function loadBoards(): Promise<void> {
  const boards = await getJson<BoardInfo[]>("/api/admin/boards");
  const pick = byId<HTMLSelectElement>("board-pick");
  const keep = pick.value;
  pick.replaceChildren(...boards.map(b => el("option", { text: b.title + " (" + b.id + ")" + (b.overridden ? a.boardChanged : ""), attrs: { value: b.id } })));
  if (keep && boards.some(b => b.id === keep)) { pick.value = keep; }
  await loadBoard();
}
async function loadBoard(): Promise<void> {
  const id = byId<HTMLSelectElement>("board-pick").value;
  if (!id) { return; }
  const b = await getJson<Schemas["AdminBoardDocument"]>("/api/admin/boards/" + encodeURIComponent(id));
  byId<HTMLTextAreaElement>("board-json").value = b.json ?? "";
  byId("board-state").textContent = b.overridden ? a.boardOverridden : a.boardAsFile;
}
const boardPick = (): string => encodeURIComponent(byId<HTMLSelectElement>("board-pick").value);
byId("board-pick").addEventListener("change", () => { loadBoard().catch(e => say(errorText(e), "error")); });
byId("board-save").addEventListener("click", () => void act(() => sendJson("PUT", "/api/admin/boards/" + boardPick(), { json: byId<HTMLTextAreaElement>("board-json").value }), a.boardSaved));
byId("board-revert").addEventListener("click", () => void act(() => sendJson("DELETE", "/api/admin/boards/" + boardPick()), a.boardReverted));
byId("board-new").addEventListener("click", () => {
  const id = byId<HTMLInputElement>("board-new-id").value.trim();
  let json: string;
  try {
    const o = JSON.parse(byId<HTMLTextAreaElement>("board-json").value) as Record<string, unknown>;
    o.id = id;
    json = JSON.stringify(o, null, 2);
  } catch (e) {
    say(fill(a.notSaved, { error: errorText(e) }), "error");
    return;
  }
  void act(async () => {
    await sendJson("PUT", "/api/admin/boards/" + encodeURIComponent(id), { json });
    byId<HTMLSelectElement>("board-pick").value = id;
  }, fill(a.boardCreated, { id }));
});

// ---- Alert rules ----
async function loadAlerts(): Promise<void> {
  const r = await getJson<Schemas["AdminAlertRulesDocument"]>("/api/admin/alert-rules");
  byId<HTMLTextAreaElement>("alerts-json").value = r.json;
  const state = r.overridden ? fill(a.rulesOverridden, { file: r.file }) : fill(a.rulesAsFile, { file: r.file });
  byId("alerts-state").textContent = fill(a.rulesCount, { state, n: r.rules });
}
byId("alerts-save").addEventListener("click", () => void act(() => sendJson("PUT", "/api/admin/alert-rules", { json: byId<HTMLTextAreaElement>("alerts-json").value }), a.rulesSaved));
byId("alerts-revert").addEventListener("click", () => void act(() => sendJson("DELETE", "/api/admin/alert-rules"), a.rulesReverted));

// ---- Sources and keys ----
type ApiKey = Schemas["ApiKeyInfo"];

async function loadSources(): Promise<void> {
  const [s, keys, quarantine] = await Promise.all([
    getJson<Schemas["AdminSourcesView"]>("/api/admin/sources"),
    getJson<ApiKey[]>("/api/admin/api-keys/"),
    getJson<Schemas["QuarantineSummary"]>("/api/admin/quarantine"),
  ]);
  byId<HTMLTableElement>("sources").tBodies[0]!.replaceChildren(...s.health.map(h => row([h.source, h.channel, time(h.lastSuccessAt), h.lastError, h.rowsAcceptedToday, h.rowsRejectedToday])));
  byId("quarantine-count").textContent = quarantine.count === 0 ? a.noQuarantine : fill(a.quarantineCount, { n: quarantine.count });
  byId<HTMLTableElement>("quarantine").tBodies[0]!.replaceChildren(...quarantine.latest.map(q => row([q.seq, q.contactId, q.source, q.queue, q.stage, q.reason, time(q.quarantinedAt)])));
  byId<HTMLTableElement>("keys").tBodies[0]!.replaceChildren(...keys.map(k => row([k.id, k.source, time(k.createdAt), time(k.lastUsedAt),
    k.revokedAt ? fill(a.revoked, { when: time(k.revokedAt) }) : a.active,
    k.revokedAt ? "" : button(a.revoke, () => void act(() => sendJson("DELETE", "/api/admin/api-keys/" + k.id), a.keyRevoked))])));
}
byId("key-create").addEventListener("click", () => void act(async () => {
  const created = await sendJson<{ source: string; key: string }>("POST", "/api/admin/api-keys/", { source: byId<HTMLInputElement>("key-source").value.trim() });
  const p = byId("key-created");
  p.hidden = false;
  p.textContent = fill(a.keyShown, { source: created?.source ?? "", key: created?.key ?? "" });
}, a.keyCreated));

// ---- Users ----
type User = Schemas["UserListItem"];

async function loadUsers(): Promise<void> {
  const users = await getJson<User[]>("/api/admin/users");
  byId<HTMLTableElement>("users").tBodies[0]!.replaceChildren(...users.map(u => {
    const role = el("select", { attrs: { "aria-label": fill(a.roleLabel, { user: u.username }) } },
      ...["viewer", "teamleader", "admin"].map(r => el("option", { text: r, attrs: { value: r } })));
    role.value = u.role;
    role.addEventListener("change", () => void act(() => sendJson("PUT", "/api/admin/users/" + u.id + "/role", { role: role.value }), a.roleChanged));
    const state = u.disabled ? a.disabled : u.locked ? a.locked : a.active;
    const toggle = button(u.disabled || u.locked ? a.enable : a.disable,
      () => void act(() => sendJson("PUT", "/api/admin/users/" + u.id + "/disabled", { disabled: !(u.disabled || u.locked) }), a.userChanged));
    const tr = row([u.username, role, state, toggle]);
    tr.dataset.user = u.username;
    return tr;
  }));
}
byId("user-create").addEventListener("click", () => void act(() => sendJson("POST", "/api/admin/users", {
  username: byId<HTMLInputElement>("user-name").value.trim(),
  password: byId<HTMLInputElement>("user-password").value,
  role: byId<HTMLSelectElement>("user-role").value,
}), a.userCreated));

// ---- Display tokens ----
type DisplayToken = Schemas["DisplayTokenListItem"];

async function loadDisplays(): Promise<void> {
  const [tokens, boards] = await Promise.all([getJson<DisplayToken[]>("/api/admin/display-tokens/"), getJson<BoardInfo[]>("/api/admin/boards")]);
  const pick = byId<HTMLSelectElement>("display-board");
  if (!pick.options.length) { pick.replaceChildren(...boards.map(b => el("option", { text: b.title, attrs: { value: b.id } }))); }
  byId<HTMLTableElement>("displays").tBodies[0]!.replaceChildren(...tokens.map(d => row([d.id, d.boardId, d.label, time(d.createdAt), time(d.lastUsedAt), d.liveScreens,
    d.revoked ? fill(a.revoked, { when: time(d.revokedAt) }) : a.active,
    d.revoked ? "" : button(a.revoke, () => void act(() => sendJson("DELETE", "/api/admin/display-tokens/" + d.id), a.linkRevoked))])));
}
byId("display-create").addEventListener("click", () => void act(async () => {
  const created = await sendJson<{ displayPath: string }>("POST", "/api/admin/display-tokens/", {
    boardId: byId<HTMLSelectElement>("display-board").value,
    label: byId<HTMLInputElement>("display-label").value || null,
  });
  const p = byId("display-created");
  p.hidden = false;
  p.textContent = fill(a.linkShown, { url: location.origin + (created?.displayPath ?? "") });
}, a.linkCreated));

// ---- Audit ----
type AuditEntry = Schemas["AuditEntry"];

async function loadAudit(): Promise<void> {
  const entries = await getJson<AuditEntry[]>("/api/admin/audit?take=300");
  byId<HTMLTableElement>("audit").tBodies[0]!.replaceChildren(...entries.map(e => row([time(e.atMs), e.actor, e.action, e.entity + (e.entityId ? " " + e.entityId : ""), e.oldValue, e.newValue])));
}

const loaders: Record<string, () => Promise<void>> = {
  targets: loadTargets, parameters: loadParameters, staffing: loadStaffing, boards: loadBoards, alerts: loadAlerts,
  sources: loadSources, users: loadUsers, displays: loadDisplays, audit: loadAudit,
};
let current = "targets";

async function show(tab: string): Promise<void> {
  current = tab;
  for (const b of document.querySelectorAll<HTMLElement>("#tabs button")) { b.setAttribute("aria-selected", String(b.dataset.tab === tab)); }
  for (const s of document.querySelectorAll<HTMLElement>(".tab")) { s.hidden = s.id !== "tab-" + tab; }
  history.replaceState(null, "", "#" + tab);
  try {
    const settings = await getJson<Schemas["AdminSettingsView"]>("/api/admin/settings");
    byId("problems").replaceChildren(...settings.problems.map(p => el("li", { text: p })));
    await loaders[tab]!();
  } catch (e) {
    say(errorText(e), "error");
  }
}
for (const b of document.querySelectorAll<HTMLElement>("#tabs button")) {
  b.addEventListener("click", () => { say(""); void show(b.dataset.tab ?? "targets"); });
}
byId("target-year").addEventListener("change", () => void show("targets"));
byId("staffing-year").addEventListener("change", () => void show("staffing"));

async function start(): Promise<void> {
  const me = await whoAmI();
  if (!me.roles.includes("admin")) { byId("signin").hidden = false; return; }
  byId("who").textContent = fill(a.signedInAs, { name: me.name ?? "" });
  // The year in Stockholm, not in the browser's zone (they differ for an hour at New Year).
  const year = String(stockholmWallTime(Date.now()).year);
  byId<HTMLInputElement>("target-year").value = year;
  byId<HTMLInputElement>("staffing-year").value = year;
  byId("tabs").hidden = false;
  const tab = location.hash.slice(1);
  await show(loaders[tab] ? tab : "targets");
}
void start();
