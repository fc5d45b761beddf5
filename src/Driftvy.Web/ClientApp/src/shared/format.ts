// Numbers, times and ages as the pages show them: Swedish by default ("85 %", "1 041", decimal comma), English with
// ?lang=en; every time and date in Stockholm time.
import { type Lang, type Texts, textsFor } from "./i18n";
import { STOCKHOLM } from "./stockholm";
import type { Status } from "./wire";

export type Instant = string | number | Date;

const toDate = (v: Instant): Date => (v instanceof Date ? v : new Date(v));

/** The formats of one language. */
export class Formats {
  readonly locale: string;
  readonly texts: Texts;
  readonly integerFormat: Intl.NumberFormat;
  private readonly oneDecimal: Intl.NumberFormat;
  private readonly percentWhole: Intl.NumberFormat;
  private readonly percentOne: Intl.NumberFormat;
  private readonly time: Intl.DateTimeFormat;
  private readonly timeSeconds: Intl.DateTimeFormat;
  private readonly dayMonthFormat: Intl.DateTimeFormat;
  private readonly minuteFormat: Intl.DateTimeFormat;

  constructor(readonly lang: Lang) {
    this.locale = lang === "en" ? "en-GB" : "sv-SE";
    this.texts = textsFor(lang);
    this.integerFormat = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 0 });
    this.oneDecimal = new Intl.NumberFormat(this.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this.percentWhole = new Intl.NumberFormat(this.locale, { style: "percent", maximumFractionDigits: 0 });
    this.percentOne = new Intl.NumberFormat(this.locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this.time = new Intl.DateTimeFormat(this.locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: STOCKHOLM });
    this.timeSeconds = new Intl.DateTimeFormat(this.locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: STOCKHOLM });
    this.dayMonthFormat = new Intl.DateTimeFormat(this.locale, { day: "numeric", month: "short", timeZone: STOCKHOLM });
    // Year first in both languages ("2026-10-15 10:30"): an administrator's log reads the same either way.
    this.minuteFormat = new Intl.DateTimeFormat("sv-SE", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: STOCKHOLM });
  }

  integer(v: number | null | undefined): string {
    return v == null || Number.isNaN(v) ? "–" : this.integerFormat.format(v);
  }

  /** Seconds as m:ss ("2:05"). */
  wait(seconds: number | null | undefined): string {
    if (seconds == null || Number.isNaN(seconds)) { return "–"; }
    const s = Math.round(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  /** A value in its KPI's unit, as a screen shows it. Percent values come as 0–100. */
  value(v: number | null | undefined, unit: string): string {
    if (v == null || Number.isNaN(v)) { return "–"; }
    switch (unit) {
      case "percent": return (Math.abs(v) < 10 && v !== 0 ? this.percentOne : this.percentWhole).format(v / 100);
      case "seconds": return this.wait(v);
      case "days": return this.oneDecimal.format(v) + " " + this.texts.units.days;
      case "count": return this.integerFormat.format(v);
      case "count_per_fte": return v >= 100 ? this.integerFormat.format(v) : this.oneDecimal.format(v);
      default: return this.oneDecimal.format(v);
    }
  }

  /** A share 0–1 as a percentage ("85 %"). */
  share(v: number | null | undefined): string {
    return v == null ? "–" : this.value(v * 100, "percent");
  }

  /** "+2", "−3" or "±0". */
  gap(v: number | null | undefined): string {
    if (v == null) { return "–"; }
    return v > 0 ? "+" + this.integerFormat.format(v) : v < 0 ? "−" + this.integerFormat.format(-v) : "±0";
  }

  /** "10:30" in Stockholm. */
  timeOfDay(v: Instant): string { return this.time.format(toDate(v)); }

  /** "10:30:15" in Stockholm. */
  clock(v: Instant): string { return this.timeSeconds.format(toDate(v)); }

  /** "15 okt." / "15 Oct" in Stockholm. */
  dayMonth(v: Instant): string { return this.dayMonthFormat.format(toDate(v)); }

  /** A calendar date ("2026-10-15") as "15 okt.", the same day in every zone. */
  dayMonthOfDate(date: string): string { return this.dayMonthFormat.format(new Date(date + "T12:00:00Z")); }

  /** "2026-10-15 10:30" in Stockholm; "–" for nothing. */
  minute(v: Instant | null | undefined): string { return v == null || v === "" ? "–" : this.minuteFormat.format(toDate(v)); }

  /** How long ago, from milliseconds: "12 s sedan", "3 min sedan", "5 h sedan", "2 dygn sedan". */
  age(ms: number): string {
    const a = this.texts.age;
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) { return s + " s " + a.ago; }
    const m = Math.floor(s / 60);
    if (m < 60) { return m + " min " + a.ago; }
    const h = Math.floor(m / 60);
    if (h < 48) { return h + " h " + a.ago; }
    return Math.floor(h / 24) + " " + a.days + " " + a.ago;
  }

  /** The icon and word of a status. */
  status(status: string): [string, string] {
    const s = (status in statusIcons ? status : "no-data") as Status;
    return [statusIcons[s], this.texts.status[s]];
  }

  /** A board's, page's or tile's heading in the chosen language (the board files carry both). */
  title(item: { title: string; titleEn?: string | null }): string {
    return this.lang === "en" && item.titleEn ? item.titleEn : item.title;
  }
}

const statusIcons: Record<Status, string> = {
  "on-target": "✓", "near-target": "▲", "off-target": "✕", "no-data": "–", "no-target": "○",
};
