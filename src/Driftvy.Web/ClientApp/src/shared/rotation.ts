// A board's pages in rotation: which page comes next, after how long, and what the header shows for it.
import type { BoardPage } from "./wire";

/** The page after `index`, wrapping round. */
export function nextPage(index: number, count: number): number {
  return count <= 0 ? 0 : (index + 1) % count;
}

/** The page to stay on when the layout changes: the same index while it exists, else the last. */
export function keepPage(index: number, count: number): number {
  return Math.max(0, Math.min(index, count - 1));
}

/** How long a page stays before the next, in ms; null when there is nothing to rotate to (one page). */
export function rotationDelay(pages: readonly Pick<BoardPage, "rotationSeconds">[], index: number): number | null {
  if (pages.length < 2) { return null; }
  const seconds = pages[index]?.rotationSeconds ?? 0;
  // A page without a sensible time still moves on, slowly rather than in a spin.
  return Math.max(1, seconds > 0 ? seconds : 30) * 1000;
}

/** The dots under the title, "○ ● ○", for more than one page. */
export function pageDots(count: number, index: number): string {
  return count > 1 ? Array.from({ length: count }, (_, i) => (i === index ? "●" : "○")).join(" ") : "";
}

/** Drives the rotation with a timer; stops and restarts on every showPage. */
export class Rotation {
  private timer: ReturnType<typeof setTimeout> | null = null;
  current = 0;

  constructor(
    private readonly pages: () => readonly Pick<BoardPage, "rotationSeconds">[],
    private readonly show: (index: number) => void,
    private readonly timers: { set: (f: () => void, ms: number) => ReturnType<typeof setTimeout>; clear: (t: ReturnType<typeof setTimeout>) => void } =
      { set: (f, ms) => setTimeout(f, ms), clear: t => clearTimeout(t) },
  ) {}

  /** Shows a page now and schedules the next. */
  showPage(index: number): void {
    if (this.timer !== null) { this.timers.clear(this.timer); this.timer = null; }
    const pages = this.pages();
    this.current = keepPage(index, pages.length);
    this.show(this.current);
    const delay = rotationDelay(pages, this.current);
    if (delay !== null) {
      this.timer = this.timers.set(() => this.showPage(nextPage(this.current, this.pages().length)), delay);
    }
  }
}
