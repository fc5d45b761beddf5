// How old a tile's data is and whether it is stale, from the server-corrected clock. Recomputed every second on the
// screen, so a frozen server or a silent source greys the tiles out even though no message arrives.
import type { Formats } from "./format";

export type Freshness =
  | { kind: "never" }
  | { kind: "fresh"; ageMs: number }
  | { kind: "stale"; ageMs: number; asOf: number };

/** A clock corrected by the server's: the offset is taken from each snapshot's generatedAt. */
export class ServerClock {
  private offsetMs = 0;

  constructor(private readonly localNow: () => number = () => Date.now()) {}

  /** Notes the server's time as of now (a snapshot's generatedAt). */
  sync(serverTime: string | number): void {
    const t = typeof serverTime === "number" ? serverTime : new Date(serverTime).getTime();
    if (!Number.isNaN(t)) { this.offsetMs = t - this.localNow(); }
  }

  now(): number { return this.localNow() + this.offsetMs; }
}

/** A tile's freshness: never any data, fresh, or stale (older than its limit). */
export function freshness(dataAsOf: string | null | undefined, staleAfterSeconds: number, now: number): Freshness {
  if (!dataAsOf) { return { kind: "never" }; }
  const asOf = new Date(dataAsOf).getTime();
  const ageMs = now - asOf;
  return ageMs > staleAfterSeconds * 1000 ? { kind: "stale", ageMs, asOf } : { kind: "fresh", ageMs };
}

const dayAndTimeAfterMs = 20 * 3600 * 1000;

/** The tile's age line ("3 min sedan", or "–" without data). */
export function ageText(f: Freshness, fmt: Formats): string {
  return f.kind === "never" ? "–" : fmt.age(f.ageMs);
}

/** The note on a stale tile: since when data is missing (with the date once it is older than 20 hours); null when fresh. */
export function staleNote(f: Freshness, fmt: Formats): string | null {
  const w = fmt.texts.wall;
  if (f.kind === "never") { return "⚠ " + w.neverData; }
  if (f.kind === "fresh") { return null; }
  const when = f.ageMs > dayAndTimeAfterMs ? fmt.dayMonth(f.asOf) + " " : "";
  return "⚠ " + w.staleSince + " " + when + fmt.timeOfDay(f.asOf);
}
