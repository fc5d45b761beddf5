// Dates and times in Stockholm, whatever zone the browser runs in: every page shows the city's time, and a date the
// user picks or types means a Stockholm date. Only Intl with timeZone 'Europe/Stockholm' is used, never the
// browser's own zone (no getHours, setHours or toLocaleString without a zone).

export const STOCKHOLM = "Europe/Stockholm";

const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: STOCKHOLM, hourCycle: "h23",
  year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
});

interface WallTime { year: number; month: number; day: number; hour: number; minute: number; second: number }

/** The Stockholm wall-clock reading of an instant. */
export function stockholmWallTime(instant: number | Date): WallTime {
  const got: Record<string, number> = {};
  for (const p of parts.formatToParts(instant)) {
    if (p.type !== "literal") { got[p.type] = Number(p.value); }
  }
  return { year: got.year!, month: got.month!, day: got.day!, hour: got.hour!, minute: got.minute!, second: got.second! };
}

/** Minutes Stockholm is ahead of UTC at an instant: 60 in winter, 120 in summer. */
export function stockholmOffsetMinutes(instant: number | Date): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const w = stockholmWallTime(ms);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/**
 * The instant of a Stockholm wall-clock time. A time the spring switch skips (02:30 on the last Sunday of March)
 * is read as the same clock time after the switch (03:30); a time the autumn switch repeats as its first passing.
 */
export function stockholmInstant(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offset before and after: try the earlier reading first, so a repeated hour resolves to its first passing.
  for (const offset of [120, 60]) {
    const candidate = wall - offset * 60000;
    if (stockholmOffsetMinutes(candidate) === offset) { return new Date(candidate); }
  }
  // Skipped in spring: the clock reads an hour later at the same instant under winter time.
  return new Date(wall - 60 * 60000);
}

/** "YYYY-MM-DD" of an instant in Stockholm. */
export function stockholmDate(instant: number | Date): string {
  const w = stockholmWallTime(instant);
  return w.year + "-" + String(w.month).padStart(2, "0") + "-" + String(w.day).padStart(2, "0");
}

/** Parses "YYYY-MM-DD" (a date input's value). */
export function parseDate(text: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
}

/** The start of a Stockholm day and of the next one (a DST day is 23 or 25 hours long). */
export function stockholmDay(dateText: string): { from: Date; to: Date } | null {
  const d = parseDate(dateText);
  if (!d) { return null; }
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return {
    from: stockholmInstant(d.year, d.month, d.day),
    to: stockholmInstant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()),
  };
}

/** A datetime-local input's value ("YYYY-MM-DDTHH:mm"), read as Stockholm time. */
export function stockholmLocalInput(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  return m ? stockholmInstant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) : null;
}

/** The next instant, after `now`, at which Stockholm's clock reads hour:minute. */
export function nextStockholmTime(now: number, hour: number, minute: number): Date {
  const today = stockholmWallTime(now);
  for (let add = 0; add < 3; add++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + add));
    const at = stockholmInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour, minute);
    if (at.getTime() > now) { return at; }
  }
  throw new Error("unreachable: a day later is always after now");
}
