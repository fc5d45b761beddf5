// The one element helper of the pages, and a checked lookup by id.

export type Child = Node | string | number | null | undefined;

export interface ElementOptions {
  class?: string;
  text?: string | number | null;
  attrs?: Record<string, string>;
  data?: Record<string, string>;
}

/** Creates an element: el("td", { class: "num", text: 3 }), el("li", null, child1, "text"). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options?: ElementOptions | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (options?.class) { e.className = options.class; }
  if (options?.text != null) { e.textContent = String(options.text); }
  for (const [k, v] of Object.entries(options?.attrs ?? {})) { e.setAttribute(k, v); }
  for (const [k, v] of Object.entries(options?.data ?? {})) { e.dataset[k] = v; }
  for (const c of children) {
    if (c != null) { e.append(c instanceof Node ? c : String(c)); }
  }
  return e;
}

/** The element with this id; a page missing one of its own elements is a bug, said at once. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) { throw new Error("missing element #" + id); }
  return e as T;
}
