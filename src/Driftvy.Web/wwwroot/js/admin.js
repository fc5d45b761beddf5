// Administration page: every tab reads the admin API and writes through it. State changes carry the
// antiforgery token of the signed-in session; errors from the server (naming the field) are shown as they come.
"use strict";

(function () {
  const $ = id => document.getElementById(id);
  const message = $("message");
  let csrf = null;

  function el(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }
  function row(cells) {
    const tr = el("tr");
    for (const c of cells) {
      const td = el("td");
      if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? "–" : String(c);
      tr.appendChild(td);
    }
    return tr;
  }
  function button(text, onClick) {
    const b = el("button", text);
    b.addEventListener("click", onClick);
    return b;
  }
  function numberInput(value, step) {
    const i = el("input", null, { type: "number", step: step || "any" });
    if (value !== null && value !== undefined) i.value = value;
    return i;
  }
  const time = v => v ? new Date(v).toLocaleString("sv-SE") : "–";
  function say(text, kind) { message.textContent = text; message.dataset.kind = kind || "ok"; }

  async function problemText(res) {
    try {
      const body = await res.json();
      if (body.errors) return Object.entries(body.errors).map(([f, m]) => f + ": " + m.join(" ")).join("; ");
      return body.detail || body.title || res.statusText;
    } catch { return res.status + " " + res.statusText; }
  }
  async function get(url) {
    const res = await fetch(url, { cache: "no-store" });
    if (!res.ok) throw new Error(await problemText(res));
    return res.json();
  }
  async function send(method, url, body) {
    if (!csrf) csrf = (await get("/auth/antiforgery")).token;
    const res = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(await problemText(res));
    return res.status === 204 ? null : res.json().catch(() => null);
  }
  async function act(work, done) {
    try { await work(); say(done, "ok"); await show(current); } catch (e) { say("Ej sparat: " + e.message, "error"); }
  }

  // ---- Targets ----
  // The catalogue's units (snake_case on the wire) as the Swedish page names them.
  const unitNames = {
    percent: "procent", seconds: "sekunder", count: "antal", count_per_fte: "per årsarbetare", days: "dagar", index: "index", score: "poäng",
  };

  async function loadTargets() {
    const year = $("target-year").value;
    const data = await get("/api/admin/targets?year=" + encodeURIComponent(year));
    const body = $("targets").tBodies[0];
    body.replaceChildren();
    for (const k of data.kpis) {
      // The target in force for the year, as the screens use it: the year's own, or an earlier year's carried forward
      // (the city's contact-centre targets date from 2015). Saving it makes it the year's own.
      const t = k.target;
      const value = numberInput(t ? t.value : null), tol = numberInput(t ? t.tolerance : null);
      const low = numberInput(t ? t.bandLow : null), high = numberInput(t ? t.bandHigh : null);
      value.setAttribute("aria-label", "Mål " + k.kpiId); tol.setAttribute("aria-label", "Tolerans " + k.kpiId);
      const per = el("select");
      for (const p of ["År", "Tertial"]) per.appendChild(el("option", p, { value: p }));
      if (t) per.value = t.periodicity;
      const band = el("span");
      if (k.isBand) { band.append(low, " – ", high); } else band.textContent = "–";
      const source = k.origin === "admin" ? "ändrat här" : "stadens dokument";
      const origin = !t ? "inget mål" : k.carriedForward ? source + " " + t.year + ", gäller " + year : source;
      const originCell = el("span", origin, k.origin === "admin" && !k.carriedForward ? { class: "origin-admin" } : {});
      const actions = el("span");
      actions.append(button("Spara", () => act(() => send("PUT", "/api/admin/targets", {
        kpiId: k.kpiId, year: Number(year), value: Number(value.value), tolerance: Number(tol.value || 0), periodicity: per.value,
        bandLow: k.isBand ? Number(low.value) : null, bandHigh: k.isBand ? Number(high.value) : null,
      }), "Målet för " + k.kpiId + " " + year + " sparat.")));
      if (k.origin === "admin" && !k.carriedForward) {
        actions.append(" ", button("Återställ", () => act(() => send("DELETE", "/api/admin/targets/" + encodeURIComponent(k.kpiId) + "/" + year), "Dokumentets mål återställt.")));
      }
      const tr = row([k.nameSv + " (" + k.kpiId + ")", unitNames[k.unit] || k.unit, value, tol, band, per, originCell, actions]);
      tr.dataset.kpi = k.kpiId;
      body.appendChild(tr);
    }
  }

  // ---- KPI parameters ----
  async function loadParameters() {
    const data = await get("/api/admin/kpi-parameters");
    const body = $("parameters").tBodies[0];
    body.replaceChildren();
    for (const k of data.kpis) {
      const list = el("ul", null, { class: "versions" });
      for (const v of k.versions) {
        const p = Object.entries(v.parameters).map(([n, x]) => n + " = " + x).join(", ");
        list.appendChild(el("li", "v" + v.version + " från " + v.effectiveFrom + ": " + p));
      }
      const latest = k.versions[k.versions.length - 1];
      const form = el("div", null, { class: "actions" });
      const date = el("input", null, { type: "date", "aria-label": "Gäller från " + k.kpiId });
      date.value = data.today;
      form.append(date);
      const inputs = {};
      for (const [name, value] of Object.entries(latest.parameters)) {
        const i = numberInput(value, "1");
        i.setAttribute("aria-label", name + " " + k.kpiId);
        inputs[name] = i;
        const l = el("label", name + " ");
        l.appendChild(i);
        form.append(l);
      }
      form.append(button("Ny version", () => act(() => send("POST", "/api/admin/kpi-parameters", {
        kpiId: k.kpiId, effectiveFrom: date.value,
        parameters: Object.fromEntries(Object.entries(inputs).map(([n, i]) => [n, Number(i.value)])),
      }), "Ny version av " + k.kpiId + " sparad.")));
      const tr = row([k.nameSv + " (" + k.kpiId + ")", list, form]);
      tr.dataset.kpi = k.kpiId;
      body.appendChild(tr);
    }
  }

  // ---- Staffing ----
  async function loadStaffing() {
    const year = $("staffing-year").value;
    const data = await get("/api/admin/staffing?year=" + encodeURIComponent(year));
    const table = $("staffing");
    const head = el("tr");
    head.append(el("th", "Team"));
    for (let m = 1; m <= 12; m++) head.append(el("th", year + "-" + String(m).padStart(2, "0")));
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const team of data.teams) {
      const tr = el("tr");
      tr.dataset.team = team.id;
      tr.append(el("td", team.nameSv));
      for (const cell of team.months) {
        const td = el("td", null, { class: "num" });
        const input = numberInput(cell.fte, "0.1");
        const month = year + "-" + String(cell.month).padStart(2, "0");
        input.setAttribute("aria-label", "Årsarbetare " + team.id + " " + month);
        input.addEventListener("change", () => act(() => send("PUT", "/api/admin/staffing", { month, team: team.id, fte: Number(input.value) }),
          "Bemanning " + team.id + " " + month + " sparad."));
        td.append(input);
        tr.append(td);
      }
      body.appendChild(tr);
    }
  }

  // ---- Boards ----
  let boardList = [];
  async function loadBoards() {
    boardList = await get("/api/admin/boards");
    const pick = $("board-pick");
    const keep = pick.value;
    pick.replaceChildren(...boardList.map(b => el("option", b.title + " (" + b.id + ")" + (b.overridden ? " – ändrad" : ""), { value: b.id })));
    if (keep && boardList.some(b => b.id === keep)) pick.value = keep;
    await loadBoard();
  }
  async function loadBoard() {
    const id = $("board-pick").value;
    if (!id) return;
    const b = await get("/api/admin/boards/" + encodeURIComponent(id));
    $("board-json").value = b.json;
    $("board-state").textContent = b.overridden ? "Ändrad här (gäller framför filen)." : "Som i filen.";
  }
  $("board-pick").addEventListener("change", () => loadBoard().catch(e => say(e.message, "error")));
  $("board-save").addEventListener("click", () => act(() => send("PUT", "/api/admin/boards/" + encodeURIComponent($("board-pick").value), { json: $("board-json").value }), "Tavlan sparad."));
  $("board-revert").addEventListener("click", () => act(() => send("DELETE", "/api/admin/boards/" + encodeURIComponent($("board-pick").value)), "Tavlan återställd."));
  $("board-new").addEventListener("click", () => {
    const id = $("board-new-id").value.trim();
    let json;
    try { const o = JSON.parse($("board-json").value); o.id = id; json = JSON.stringify(o, null, 2); } catch (e) { say("Ej sparat: " + e.message, "error"); return; }
    act(async () => { await send("PUT", "/api/admin/boards/" + encodeURIComponent(id), { json }); $("board-pick").value = id; }, "Tavlan " + id + " skapad.");
  });

  // ---- Alert rules ----
  async function loadAlerts() {
    const a = await get("/api/admin/alert-rules");
    $("alerts-json").value = a.json;
    $("alerts-state").textContent = (a.overridden ? "Ändrade här (gäller framför " + a.file + ")" : "Som i " + a.file) + ", " + a.rules + " regler.";
  }
  $("alerts-save").addEventListener("click", () => act(() => send("PUT", "/api/admin/alert-rules", { json: $("alerts-json").value }), "Larmreglerna sparade."));
  $("alerts-revert").addEventListener("click", () => act(() => send("DELETE", "/api/admin/alert-rules"), "Larmreglerna återställda."));

  // ---- Sources and keys ----
  async function loadSources() {
    const [s, keys, quarantine] = await Promise.all([get("/api/admin/sources"), get("/api/admin/api-keys/"), get("/api/admin/quarantine")]);
    $("sources").tBodies[0].replaceChildren(...s.health.map(h => row([h.source, h.channel, time(h.lastSuccessAt), h.lastError, h.rowsAcceptedToday, h.rowsRejectedToday])));
    $("quarantine-count").textContent = quarantine.count === 0 ? "Inga kontakter i karantän." : `${quarantine.count} kontakter i karantän (de senaste visas).`;
    $("quarantine").tBodies[0].replaceChildren(...quarantine.latest.map(q => row([q.seq, q.contactId, q.source, q.queue, q.stage, q.reason, time(q.quarantinedAt)])));
    $("keys").tBodies[0].replaceChildren(...keys.map(k => row([k.id, k.source, time(k.createdAt), time(k.lastUsedAt), k.revokedAt ? "återkallad " + time(k.revokedAt) : "aktiv",
      k.revokedAt ? "" : button("Återkalla", () => act(() => send("DELETE", "/api/admin/api-keys/" + k.id), "Nyckeln återkallad."))])));
  }
  $("key-create").addEventListener("click", () => act(async () => {
    const created = await send("POST", "/api/admin/api-keys/", { source: $("key-source").value.trim() });
    const p = $("key-created");
    p.hidden = false;
    p.textContent = "Nyckel för " + created.source + " (visas bara nu): " + created.key;
  }, "Nyckeln skapad."));

  // ---- Users ----
  async function loadUsers() {
    const users = await get("/api/admin/users");
    $("users").tBodies[0].replaceChildren(...users.map(u => {
      const role = el("select", null, { "aria-label": "Roll " + u.username });
      for (const r of ["viewer", "teamleader", "admin"]) role.appendChild(el("option", r, { value: r }));
      role.value = u.role;
      role.addEventListener("change", () => act(() => send("PUT", "/api/admin/users/" + u.id + "/role", { role: role.value }), "Rollen ändrad."));
      const state = u.disabled ? "avstängd" : u.locked ? "låst" : "aktiv";
      const toggle = button(u.disabled || u.locked ? "Aktivera" : "Stäng av",
        () => act(() => send("PUT", "/api/admin/users/" + u.id + "/disabled", { disabled: !(u.disabled || u.locked) }), "Användaren ändrad."));
      const tr = row([u.username, role, state, toggle]);
      tr.dataset.user = u.username;
      return tr;
    }));
  }
  $("user-create").addEventListener("click", () => act(() => send("POST", "/api/admin/users", {
    username: $("user-name").value.trim(), password: $("user-password").value, role: $("user-role").value,
  }), "Användaren skapad."));

  // ---- Display tokens ----
  async function loadDisplays() {
    const [tokens, boards] = await Promise.all([get("/api/admin/display-tokens/"), get("/api/admin/boards")]);
    const pick = $("display-board");
    if (!pick.options.length) pick.replaceChildren(...boards.map(b => el("option", b.title, { value: b.id })));
    $("displays").tBodies[0].replaceChildren(...tokens.map(t => row([t.id, t.boardId, t.label, time(t.createdAt), time(t.lastUsedAt), t.liveScreens,
      t.revoked ? "återkallad " + time(t.revokedAt) : "aktiv",
      t.revoked ? "" : button("Återkalla", () => act(() => send("DELETE", "/api/admin/display-tokens/" + t.id), "Länken återkallad; öppna skärmar kopplas bort."))])));
  }
  $("display-create").addEventListener("click", () => act(async () => {
    const created = await send("POST", "/api/admin/display-tokens/", { boardId: $("display-board").value, label: $("display-label").value || null });
    const p = $("display-created");
    p.hidden = false;
    p.textContent = "Länk (visas bara nu): " + location.origin + created.displayPath;
  }, "Visningslänken skapad."));

  // ---- Audit ----
  async function loadAudit() {
    const entries = await get("/api/admin/audit?take=300");
    $("audit").tBodies[0].replaceChildren(...entries.map(a => row([time(a.atMs), a.actor, a.action, a.entity + (a.entityId ? " " + a.entityId : ""), a.oldValue, a.newValue])));
  }

  const loaders = { targets: loadTargets, parameters: loadParameters, staffing: loadStaffing, boards: loadBoards, alerts: loadAlerts,
    sources: loadSources, users: loadUsers, displays: loadDisplays, audit: loadAudit };
  let current = "targets";
  async function show(tab) {
    current = tab;
    for (const b of document.querySelectorAll("#tabs button")) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
    for (const s of document.querySelectorAll(".tab")) s.hidden = s.id !== "tab-" + tab;
    history.replaceState(null, "", "#" + tab);
    try {
      const settings = await get("/api/admin/settings");
      $("problems").replaceChildren(...settings.problems.map(p => el("li", p)));
      await loaders[tab]();
    } catch (e) { say(e.message, "error"); }
  }
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => { say(""); show(b.dataset.tab); });
  $("target-year").addEventListener("change", () => show("targets"));
  $("staffing-year").addEventListener("change", () => show("staffing"));

  (async function start() {
    const me = await get("/auth/me");
    if (!me.roles || !me.roles.includes("admin")) { $("signin").hidden = false; return; }
    $("who").textContent = "Inloggad som " + me.name;
    const year = new Date().getFullYear();
    $("target-year").value = year;
    $("staffing-year").value = year;
    $("tabs").hidden = false;
    const tab = location.hash.slice(1);
    await show(loaders[tab] ? tab : "targets");
  })();
})();
