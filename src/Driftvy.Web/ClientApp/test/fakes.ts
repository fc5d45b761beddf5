// Fakes for the tests: a timer queue run by hand, and a hub connection whose answers the test decides.
import type { HubLike, Timers } from "../src/shared/hub";

export class ManualTimers implements Timers {
  private next = 1;
  readonly pending = new Map<number, { f: () => void; ms: number }>();

  set(f: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { f, ms });
    return id;
  }

  clear(handle: unknown): void { this.pending.delete(handle as number); }

  /** The delays waiting, in the order they were set. */
  get delays(): number[] { return [...this.pending.values()].map(p => p.ms); }

  /** Runs every timer waiting now (not those they set). */
  runAll(): void {
    const due = [...this.pending.entries()];
    for (const [id] of due) { this.pending.delete(id); }
    for (const [, p] of due) { p.f(); }
  }
}

/** Lets queued promise continuations run. */
export const settle = async (): Promise<void> => { for (let i = 0; i < 10; i++) { await Promise.resolve(); } };

type Handler = (...args: never[]) => void;

export class FakeHub implements HubLike {
  state = "Disconnected";
  starts = 0;
  stops = 0;
  joins: string[] = [];
  startResults: (Error | null)[] = [];
  joinResults: (Error | object)[] = [];
  private readonly handlers = new Map<string, Handler>();
  private reconnecting: () => void = () => {};
  private reconnected: () => void = () => {};
  private closed: () => void = () => {};

  async start(): Promise<void> {
    this.starts++;
    const r = this.startResults.shift() ?? null;
    if (r) { throw r; }
    this.state = "Connected";
  }

  async stop(): Promise<void> { this.stops++; this.state = "Disconnected"; }

  async invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    this.joins.push(method + ":" + String(args[0]));
    const r = this.joinResults.shift() ?? new Error("no answer set");
    if (r instanceof Error) { throw r; }
    return r as T;
  }

  on(name: string, handler: Handler): void { this.handlers.set(name, handler); }
  onreconnecting(callback: () => void): void { this.reconnecting = callback; }
  onreconnected(callback: () => void): void { this.reconnected = callback; }
  onclose(callback: () => void): void { this.closed = callback; }

  push(name: string, ...args: unknown[]): void { (this.handlers.get(name) as ((...a: unknown[]) => void) | undefined)?.(...args); }
  loseConnection(): void { this.state = "Reconnecting"; this.reconnecting(); }
  regainConnection(): void { this.state = "Connected"; this.reconnected(); }
  close(): void { this.state = "Disconnected"; this.closed(); }
}

/** The error SignalR's client raises for a HubException thrown by a hub method. */
export const hubError = (code: string): Error =>
  new Error("An unexpected error occurred invoking 'JoinBoard' on the server. HubException: " + code);
