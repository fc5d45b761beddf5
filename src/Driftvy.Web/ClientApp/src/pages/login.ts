// Sign-in: posts the credentials as JSON; on success returns to the page that sent the user here. A user who is
// already signed in is told so, and may continue, sign out, or sign in as someone else.
import { send, whoAmI } from "../shared/api";
import { byId } from "../shared/dom";
import { applyLabels, fill, langFrom, textsFor } from "../shared/i18n";
import { localReturnUrl } from "../shared/returnUrl";

const lang = langFrom(location.search);
document.documentElement.lang = lang;
const texts = textsFor(lang);
const t = texts.login;
applyLabels(document, t);

const form = byId<HTMLFormElement>("login-form");
const status = byId("login-status");
const signedIn = byId("signed-in");

const next = localReturnUrl(new URLSearchParams(location.search).get("ReturnUrl"), location.origin) || "/steering";
byId<HTMLAnchorElement>("continue").href = next;

async function showWhoIsSignedIn(): Promise<void> {
  const me = await whoAmI();
  if (!me.name) {
    signedIn.hidden = true;
    return;
  }
  const roles = me.roles.map(r => texts.roles[r] || r).join(", ");
  byId("signed-in-as").textContent = roles ? fill(t.signedInAsWithRoles, { name: me.name, roles }) : fill(t.signedInAs, { name: me.name });
  signedIn.hidden = false;
}

// Only a 401 means the name or password was wrong; an expired form or any other refusal says so instead.
async function refusalText(res: Response): Promise<string> {
  if (res.status === 401) { return t.wrong; }
  if (res.status === 429) { return t.tooMany; }
  const body = (await res.json().catch(() => null)) as { code?: string } | null;
  if (body?.code === "antiforgery") { return t.expired; }
  return fill(t.failed, { status: res.status });
}

form.addEventListener("submit", async ev => {
  ev.preventDefault();
  status.textContent = "";
  // A signed-in browser's state changes carry the antiforgery token of its session (the server checks it on every
  // cookie-authenticated post, this one included).
  const res = await send("POST", "/auth/login", {
    username: byId<HTMLInputElement>("username").value,
    password: byId<HTMLInputElement>("password").value,
  });
  if (res.ok) {
    location.href = next;
    return;
  }
  status.textContent = await refusalText(res);
});

byId("sign-out").addEventListener("click", async () => {
  status.textContent = "";
  const res = await send("POST", "/auth/logout");
  // 401: the session had already ended; either way, show the state as it now is.
  if (!res.ok && res.status !== 401) { status.textContent = await refusalText(res); return; }
  await showWhoIsSignedIn();
});

void showWhoIsSignedIn();
