// The alert banner on the wall screen: the open alerts for the board's queues, pushed over the board's hub connection
// and reloaded after every (re)join. Severity is shown by colour, icon and word; an acknowledged alert is drawn as an
// outline with a check mark and who took it, an unacknowledged one solid. A signed-in team leader acknowledges from
// the screen itself (a TV on a display link has no button).
import { isTeamLeader, send, tryGetJson, whoAmI } from "./api";
import { el } from "./dom";
import type { Formats } from "./format";
import type { AlertView } from "./wire";

const order: Record<string, number> = { critical: 0, warning: 1, info: 2 };
const icons: Record<string, string> = { critical: "✖", warning: "▲", info: "ℹ" };

/** The most severe first; within a severity, the order the server gave. At most `max`. */
export function bannerAlerts(alerts: readonly AlertView[], max = 3): AlertView[] {
  return alerts
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (order[x.a.severity] ?? 3) - (order[y.a.severity] ?? 3) || x.i - y.i)
    .slice(0, max)
    .map(x => x.a);
}

/** "✖ KRITISKT: Kö lång (sedan 10:30) · 2 gånger igen". */
export function alertText(a: AlertView, fmt: Formats): string {
  const w = fmt.texts.alerts;
  const word = (w as Record<string, string>)[a.severity] ?? a.severity.toUpperCase();
  let text = (icons[a.severity] ?? "•") + " " + word + ": " + a.name + " (" + w.since + " " + fmt.timeOfDay(a.firedAt) + ")";
  if (a.refires > 0) { text += " · " + a.refires + " " + w.again; }
  return text;
}

/** "✔ kvitterat av anna 10:42". */
export function acknowledgedText(a: AlertView, fmt: Formats): string {
  return "✔ " + fmt.texts.alerts.acked + " " + a.acknowledgedBy + (a.acknowledgedAt ? " " + fmt.timeOfDay(a.acknowledgedAt) : "");
}

export class AlertBanner {
  private mayAcknowledge = false;

  constructor(
    private readonly banner: HTMLElement,
    private readonly fmt: Formats,
    private readonly boardId: string,
    private readonly displayToken: string | null,
  ) {}

  render(alerts: readonly AlertView[]): void {
    const w = this.fmt.texts.alerts;
    this.banner.replaceChildren(...bannerAlerts(alerts).map(a => {
      const row = el("div", { class: "alert alert-" + a.severity, data: { alertId: a.id } }, el("span", { class: "alert-text", text: alertText(a, this.fmt) }));
      if (a.acknowledgedBy) {
        row.classList.add("alert-acked");
        row.dataset.acknowledged = "true";
        row.append(el("span", { class: "alert-ack", text: acknowledgedText(a, this.fmt) }));
      } else if (this.mayAcknowledge) {
        const button = el("button", { class: "alert-ack-button", text: w.ack, attrs: { type: "button" } });
        button.addEventListener("click", () => { void this.acknowledge(a.id, button); });
        row.append(button);
      }
      return row;
    }));
    this.banner.hidden = alerts.length === 0;
    document.body.dataset.alerts = String(alerts.length);
  }

  /** After every (re)join: who may acknowledge, and the open alerts as they are now. */
  async refresh(): Promise<void> {
    // A TV on a display link has no session; a signed-in team leader (or admin) may acknowledge.
    this.mayAcknowledge = this.displayToken ? false : isTeamLeader(await whoAmI());
    await this.reload();
  }

  private async reload(): Promise<void> {
    // A display (TV) has no session: its token goes along, or the open alerts stay hidden until the next push.
    const headers: Record<string, string> = this.displayToken ? { "X-Display-Token": this.displayToken } : {};
    const alerts = await tryGetJson<AlertView[]>("/api/alerts?board=" + encodeURIComponent(this.boardId), headers);
    // Unreachable: the connection banner already says so.
    if (alerts) { this.render(alerts); }
  }

  private async acknowledge(id: string, button: HTMLButtonElement): Promise<void> {
    const w = this.fmt.texts.alerts;
    button.disabled = true;
    try {
      // Who acknowledged is the signed-in user.
      const res = await send("POST", "/api/alerts/" + encodeURIComponent(id) + "/acknowledge", { comment: null });
      if (!res.ok) { throw new Error(String(res.status)); }
      await this.reload();
    } catch {
      button.disabled = false;
      button.title = w.ackFailed;
      button.textContent = "⚠ " + w.ack;
    }
  }
}
