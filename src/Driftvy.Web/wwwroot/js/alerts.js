// Alert banner on the wall screen: the open alerts for this board's queues, pushed over the board's
// SignalR connection and reloaded after every (re)join. Severity is shown by colour, icon and word.
"use strict";

(function () {
  const sv = document.documentElement.lang !== "en";
  const words = sv
    ? { critical: "KRITISKT", warning: "VARNING", info: "INFO", acked: "kvitterat av", again: "gånger igen", since: "sedan" }
    : { critical: "CRITICAL", warning: "WARNING", info: "INFO", acked: "acknowledged by", again: "times again", since: "since" };
  const icons = { critical: "✖", warning: "▲", info: "ℹ" };
  const time = new Intl.DateTimeFormat(sv ? "sv-SE" : "en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Stockholm" });
  let boardId = null;
  let displayToken = null;

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
      if (a.acknowledgedBy) { text += " · " + words.acked + " " + a.acknowledgedBy; }
      row.textContent = text;
      banner.appendChild(row);
    }
    banner.hidden = alerts.length === 0;
    document.body.dataset.alerts = String(alerts.length);
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
  document.addEventListener("driftvy:joined", reload);
})();
