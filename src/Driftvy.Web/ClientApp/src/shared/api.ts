// Calls to Driftvy's HTTP API. Reads are plain GETs (never cached); every state change goes through send(), which
// carries the session's antiforgery token: fetched afresh for each change, so it always matches the session (a
// sign-in or sign-out in another tab changes it), with the header name the server names.

/** A refusal by the server, with its status and the text of its problem answer. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
    this.name = "ApiError";
  }
}

interface Problem { title?: string; detail?: string; code?: string; errors?: Record<string, string[]> }

/** The readable text of a problem answer: field errors as "field: message", else its detail or title. */
export function problemText(status: number, statusText: string, body: unknown): string {
  const p = (body ?? {}) as Problem;
  if (p.errors && typeof p.errors === "object") {
    return Object.entries(p.errors).map(([f, m]) => f + ": " + (Array.isArray(m) ? m.join(" ") : String(m))).join("; ");
  }
  return p.detail || p.title || (status + (statusText ? " " + statusText : ""));
}

async function bodyOf(res: Response): Promise<unknown> {
  return res.json().catch(() => null);
}

async function refusal(res: Response): Promise<ApiError> {
  const body = await bodyOf(res);
  return new ApiError(res.status, problemText(res.status, res.statusText, body), body);
}

/** GETs JSON; a refusal throws an ApiError. */
export async function getJson<T>(url: string, headers?: Record<string, string>): Promise<T> {
  const res = await fetch(url, { cache: "no-store", headers });
  if (!res.ok) { throw await refusal(res); }
  return (await res.json()) as T;
}

/** GETs JSON, or null when refused or unreachable (for what a page can do without). */
export async function tryGetJson<T>(url: string, headers?: Record<string, string>): Promise<T | null> {
  try { return await getJson<T>(url, headers); } catch { return null; }
}

/** The antiforgery header of the current session ({} when the server gives none). */
export async function antiforgeryHeaders(): Promise<Record<string, string>> {
  const res = await fetch("/auth/antiforgery", { cache: "no-store" });
  if (!res.ok) { return {}; }
  const af = (await res.json()) as { header: string; token: string };
  return { [af.header]: af.token };
}

/** A state change (POST, PUT, DELETE) with a JSON body, carrying the antiforgery header. Answers the raw response. */
export async function send(method: string, url: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { ...(await antiforgeryHeaders()) };
  if (body !== undefined) { headers["Content-Type"] = "application/json"; }
  return fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** send(), then the answer's JSON (null for 204); a refusal throws an ApiError. */
export async function sendJson<T>(method: string, url: string, body?: unknown): Promise<T | null> {
  const res = await send(method, url, body);
  if (!res.ok) { throw await refusal(res); }
  return res.status === 204 ? null : ((await bodyOf(res)) as T | null);
}

/** Who is signed in (name null when nobody). */
export interface Me { name: string | null; roles: string[] }

export async function whoAmI(): Promise<Me> {
  const me = await tryGetJson<Partial<Me>>("/auth/me");
  return { name: me?.name ?? null, roles: Array.isArray(me?.roles) ? me!.roles : [] };
}

/** May this user acknowledge alerts and see call-back lists (team leader or admin)? */
export function isTeamLeader(me: Me): boolean {
  return me.roles.includes("teamleader") || me.roles.includes("admin");
}
