// Loads that never overlap: a load never starts while the previous one runs, and the latest request wins. A request
// made during a load waits for it; several made meanwhile collapse into the last one; a running load can ask
// whether it has been overtaken and then leave its results unshown.

export interface LoadRun<T> {
  readonly request: T;
  /** True once a newer request is waiting: the results of this run are no longer wanted. */
  superseded(): boolean;
}

export class LatestLoader<T> {
  private running = false;
  private pending: { request: T } | null = null;
  private idle: Promise<void> = Promise.resolve();
  private resolveIdle: (() => void) | null = null;

  constructor(private readonly load: (run: LoadRun<T>) => Promise<void>, private readonly onError: (e: unknown) => void = () => {}) {}

  /** Asks for a load with this request; it runs now, or after the running one (replacing any request waiting). */
  request(request: T): Promise<void> {
    this.pending = { request };
    if (!this.running) {
      this.running = true;
      this.idle = new Promise(resolve => { this.resolveIdle = resolve; });
      void this.drain();
    }
    return this.idle;
  }

  /** Whether a load is running. */
  get busy(): boolean { return this.running; }

  private async drain(): Promise<void> {
    while (this.pending) {
      const { request } = this.pending;
      this.pending = null;
      try {
        await this.load({ request, superseded: () => this.pending !== null });
      } catch (e) {
        this.onError(e);
      }
    }
    this.running = false;
    this.resolveIdle?.();
  }
}
