// The wall screen's hub connection: the WebSocket at once without a negotiation request (behind a balancer without
// sticky sessions the negotiation and the socket could reach different instances), reconnecting forever, joining its
// board with retries and backoff, and reading the server's refusals by their codes (Security/HubErrors.cs).
import { applyChange } from "./boardChange";
import type { BoardChange, BoardSnapshot } from "./wire";

/** The codes the hub refuses JoinBoard with, as the HubException's whole message. */
export const hubErrors = {
  unknownBoard: "unknown-board",
  displayTokenRefused: "display-token-refused",
  displayTokenOtherBoard: "display-token-other-board",
  boardNotAllowed: "board-not-allowed",
  sessionEnded: "session-ended",
} as const;

export type HubErrorCode = (typeof hubErrors)[keyof typeof hubErrors];

const codes = new Set<string>(Object.values(hubErrors));

/** The code of a hub error ("… HubException: unknown-board"), or null for a failure without one (transient). */
export function hubErrorCode(error: unknown): HubErrorCode | null {
  const message = error instanceof Error ? error.message : String(error ?? "");
  const m = /HubException: ([a-z-]+)\s*$/.exec(message);
  return m && codes.has(m[1]!) ? (m[1] as HubErrorCode) : null;
}

/** Codes after which the screen stops: the link or session will not come back by retrying. */
export function isFinal(code: HubErrorCode | null): boolean {
  return code === hubErrors.displayTokenRefused || code === hubErrors.displayTokenOtherBoard
    || code === hubErrors.boardNotAllowed || code === hubErrors.sessionEnded;
}

/** Wait before retry number `attempt` (0-based): 1 s, 2 s, 4 s … up to 30 s, and 30 s for ever after. */
export function retryDelay(attempt: number): number {
  return Math.min(30000, 1000 * Math.pow(2, Math.min(Math.max(0, attempt), 5)));
}

/** The part of SignalR's HubConnection the session uses (a fake in the tests). */
export interface HubLike {
  readonly state: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  invoke<T>(method: string, ...args: unknown[]): Promise<T>;
  on(name: string, handler: (...args: never[]) => void): void;
  onreconnecting(callback: () => void): void;
  onreconnected(callback: () => void): void;
  onclose(callback: () => void): void;
}

export interface Timers {
  set(f: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const browserTimers: Timers = {
  set: (f, ms) => setTimeout(f, ms),
  clear: h => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What the screen shows about its connection: nothing (joined), or why not. */
export type ConnectionBanner = null | "connecting" | "reconnecting" | "unknown-board" | "refused";

export interface BoardSessionEvents {
  snapshot(s: BoardSnapshot): void;
  joined(): void;
  banner(state: ConnectionBanner): void;
}

export const connectedState = "Connected";

/**
 * One screen's life on the hub: connect (retrying with backoff until it works), join the board (retrying a transient
 * failure while connected, stopping on a final refusal), rejoin after every reconnection, start anew after a close,
 * and stop for good when the display link is revoked.
 */
export class BoardSession {
  private refused = false;
  private joinTimer: unknown = null;
  /** The snapshot the screen shows, which the next change applies to. */
  private held: BoardSnapshot | null = null;
  private resyncing = false;

  constructor(
    private readonly hub: HubLike,
    private readonly boardId: string,
    private readonly events: BoardSessionEvents,
    private readonly timers: Timers = browserTimers,
  ) {
    hub.on("BoardUpdated", (s: BoardSnapshot) => { if (s.boardId === this.boardId && !this.refused) { this.show(s); } });
    hub.on("BoardChanged", (c: BoardChange) => { if (c.boardId === this.boardId && !this.refused) { this.change(c); } });
    // Revoked on any instance: stop at once rather than wait to be disconnected.
    hub.on("DisplayRevoked", () => this.refuse());
    hub.onreconnecting(() => { this.clearJoin(); if (!this.refused) { events.banner("reconnecting"); } });
    hub.onreconnected(() => { void this.join(0); });
    hub.onclose(() => {
      this.clearJoin();
      if (this.refused) { return; }
      events.banner("reconnecting");
      void this.start(0);
    });
  }

  get isRefused(): boolean { return this.refused; }

  /** Connects and joins; a failed connection is tried again after retryDelay(attempt). */
  async start(attempt = 0): Promise<void> {
    if (this.refused) { return; }
    try {
      await this.hub.start();
    } catch {
      if (this.refused) { return; }
      this.events.banner(attempt === 0 ? "connecting" : "reconnecting");
      this.timers.set(() => { void this.start(attempt + 1); }, retryDelay(attempt));
      return;
    }
    await this.join(0);
  }

  /** Joins the board; a transient failure is tried again with backoff while the connection stands. */
  async join(attempt: number): Promise<void> {
    this.clearJoin();
    try {
      const s = await this.hub.invoke<BoardSnapshot>("JoinBoard", this.boardId);
      this.refused = false;
      this.events.joined();
      this.events.banner(null);
      this.show(s);
    } catch (e) {
      const code = hubErrorCode(e);
      if (isFinal(code)) {
        this.refuse();
        return;
      }
      this.events.banner(code === hubErrors.unknownBoard ? "unknown-board" : "reconnecting");
      // A new connection joins anew by itself (onreconnected, or start after a close).
      if (this.hub.state === connectedState) {
        this.joinTimer = this.timers.set(() => { void this.join(attempt + 1); }, retryDelay(attempt));
      }
    }
  }

  /** A whole snapshot: shown, and held for the changes after it. */
  private show(s: BoardSnapshot): void {
    this.held = s;
    this.events.snapshot(s);
  }

  /** A change: applied to the held snapshot when it fits; otherwise the whole snapshot is fetched again (once at a time). */
  private change(c: BoardChange): void {
    if (this.held === null || this.resyncing) { return; }
    const outcome = applyChange(this.held, c);
    if (outcome === "older") { return; }
    if (outcome !== "misfit") {
      this.show(outcome.applied);
      return;
    }
    this.resyncing = true;
    this.hub.invoke<BoardSnapshot>("Snapshot", this.boardId)
      .then(s => { if (!this.refused) { this.show(s); } })
      // A failed fetch waits for the next change, push or join to try again.
      .catch(() => {})
      .finally(() => { this.resyncing = false; });
  }

  /** Stops for good: the link or the session will not come back. */
  refuse(): void {
    this.refused = true;
    this.clearJoin();
    this.events.banner("refused");
    void this.hub.stop().catch(() => {});
  }

  private clearJoin(): void {
    if (this.joinTimer !== null) { this.timers.clear(this.joinTimer); this.joinTimer = null; }
  }
}
