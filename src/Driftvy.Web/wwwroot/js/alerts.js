// Alert banner on the wall screen: the open alerts for this board's queues, pushed over the board's
// SignalR connection and reloaded after every (re)join. Severity is shown by colour, icon and word; an
// acknowledged alert is drawn as an outline with a check mark and who took it, an unacknowledged one solid.
// A signed-in team leader acknowledges from the screen itself (a TV on a display link has no button).
"use strict";

(function () {
  const sv = document.documentElement.lang !== "en";
  const words = sv
    ? { critical: "KRITISKT", warning: "VARNING", info: "INFO", acked: "kvitterat av", again: "gånger igen", since: "sedan", ack: "Kvittera", ackFailed: "Kvitteringen gick inte igenom" }
    : { critical: "CRITICAL", warning: "WARNING", info: "INFO", acked: "acknowledged by", again: "times again", since: "since", ack: "Acknowledge", ackFailed: "The acknowledgement did not go through" };
  const icons = { critical: "✖", warning: "▲", info: "ℹ" };
  const time = new Intl.DateTimeFormat(sv ? "sv-SE" : "en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Stockholm" });
  let boardId = null;
  let displayToken = null;
  let mayAcknowledge = false;

  function render(alerts) {
    const banner = document.getElementById("alert-banner");
    banner.replaceChildren();
    const order = { critical: 0, warning: 1, info: 2 };
    alerts.sort((a, b) => order[a.severity] - order[b.severity]);
    for (const a of alerts.slice(0, 3)) {
      const row = document.createElement("div");
      row.className = "alert alert-" + a.severity;
      row.dataset.alertId = a.id;
      let text = icons[a.severity] + " " + words[a.severity] + ": " + a.name + " (" + words.since + " " + time.format(new Date(a.firedAt)) + ")";
      if (a.refires > 0) { text += " · " + a.refires + " " + words.again; }
      const label = document.createElement("span");
      label.className = "alert-text";
      label.textContent = text;
      row.appendChild(label);
      if (a.acknowledgedBy) {
        row.classList.add("alert-acked");
        row.dataset.acknowledged = "true";
        const who = document.createElement("span");
        who.className = "alert-ack";
        who.textContent = "✔ " + words.acked + " " + a.acknowledgedBy + (a.acknowledgedAt ? " " + time.format(new Date(a.acknowledgedAt)) : "");
        row.appendChild(who);
      } else if (mayAcknowledge) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "alert-ack-button";
        button.textContent = words.ack;
        button.addEventListener("click", () => acknowledge(a.id, button));
        row.appendChild(button);
      }
      banner.appendChild(row);
    }
    banner.hidden = alerts.length === 0;
    document.body.dataset.alerts = String(alerts.length);
  }

  async function acknowledge(id, button) {
    button.disabled = true;
    try {
      // A state change: it carries the session's antiforgery token; who acknowledged is the signed-in user.
      const af = await fetch("/auth/antiforgery", { cache: "no-store" }).then(r => r.json());
      const res = await fetch("/api/alerts/" + encodeURIComponent(id) + "/acknowledge", {
        method: "POST",
        headers: { "Content-Type": "application/json", [af.header]: af.token },
        body: JSON.stringify({ comment: null }),
      });
      if (!res.ok) { throw new Error(String(res.status)); }
      await reload();
    } catch (e) {
      button.disabled = false;
      button.title = words.ackFailed;
      button.textContent = "⚠ " + words.ack;
    }
  }

  async function whoAmI() {
    // A TV on a display link has no session; a signed-in team leader (or admin) may acknowledge.
    if (displayToken) { mayAcknowledge = false; return; }
    try {
      const res = await fetch("/auth/me", { cache: "no-store" });
      const me = res.ok ? await res.json() : null;
      mayAcknowledge = !!me && Array.isArray(me.roles) && (me.roles.includes("teamleader") || me.roles.includes("admin"));
    } catch (e) {
      mayAcknowledge = false;
    }
  }

  async function reload() {
    if (!boardId) { return; }
    try {
      // A display (TV) has no session: its token goes along, or the open alerts stay hidden until the next push.
      const headers = displayToken ? { "X-Display-Token": displayToken } : {};
      const res = await fetch("/api/alerts?board=" + encodeURIComponent(boardId), { cache: "no-store", headers });
      if (res.ok) { render(await res.json()); }
    } catch (e) {
      // The connection banner already says the server is unreachable.
    }
  }

  document.addEventListener("driftvy:connection", e => {
    boardId = e.detail.boardId;
    displayToken = e.detail.displayToken || null;
    e.detail.connection.on("AlertsChanged", render);
  });
  document.addEventListener("driftvy:joined", async () => { await whoAmI(); await reload(); });
})();
