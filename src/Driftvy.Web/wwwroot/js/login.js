// Sign-in: posts the credentials as JSON; on success returns to the page that sent the user here. A user who is
// already signed in is told so, and may continue, sign out, or sign in as someone else.
"use strict";

(function () {
  const form = document.getElementById("login-form");
  const status = document.getElementById("login-status");
  const signedIn = document.getElementById("signed-in");
  const roleNames = { viewer: "läsare", teamleader: "teamledare", admin: "administratör" };

  // Only a path on this site. Checking the text is not enough: a browser reads "/%5Chost/x" or "/%09/host/x"
  // (once decoded) as another site, so let it parse the address, keep it only if it stays on this origin, and
  // never hand back a path that itself starts with two slashes.
  function localReturnUrl(back) {
    if (!back || back[0] !== "/") { return null; }
    let url;
    try { url = new URL(back, location.origin); } catch { return null; }
    if (url.origin !== location.origin || url.pathname.startsWith("//")) { return null; }
    return url.pathname + url.search + url.hash;
  }

  const next = localReturnUrl(new URLSearchParams(location.search).get("ReturnUrl")) || "/steering";
  document.getElementById("continue").href = next;

  // A signed-in browser's state changes carry the antiforgery token of its session (the server checks it on every
  // cookie-authenticated post, this one included); fetched afresh for each post so that it matches the session.
  async function antiforgeryHeaders() {
    const res = await fetch("/auth/antiforgery", { cache: "no-store" });
    if (!res.ok) { return {}; }
    const af = await res.json();
    return { [af.header]: af.token };
  }

  async function showWhoIsSignedIn() {
    const me = await fetch("/auth/me", { cache: "no-store" }).then(r => r.json()).catch(() => null);
    if (!me || !me.name) {
      signedIn.hidden = true;
      return;
    }
    const roles = (me.roles || []).map(r => roleNames[r] || r).join(", ");
    document.getElementById("signed-in-as").textContent = "Du är inloggad som " + me.name + (roles ? " (" + roles + ")" : "") + ".";
    signedIn.hidden = false;
  }

  // Only a 401 means the name or password was wrong; an expired form or any other refusal says so instead.
  async function refusalText(res) {
    if (res.status === 401) { return "Fel användarnamn eller lösenord."; }
    if (res.status === 429) { return "För många försök härifrån. Försök igen senare."; }
    let code = null;
    try { code = (await res.json()).code; } catch { code = null; }
    if (code === "antiforgery") { return "Formuläret har gått ut. Ladda om sidan och logga in igen."; }
    return "Inloggningen gick inte att genomföra (" + res.status + "). Försök igen.";
  }

  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    status.textContent = "";
    const res = await fetch("/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(await antiforgeryHeaders()) },
      body: JSON.stringify({ username: form.username.value, password: form.password.value }),
    });
    if (res.ok) {
      location.href = next;
      return;
    }
    status.textContent = await refusalText(res);
  });

  document.getElementById("sign-out").addEventListener("click", async () => {
    status.textContent = "";
    const res = await fetch("/auth/logout", { method: "POST", headers: await antiforgeryHeaders() });
    // 401: the session had already ended; either way, show the state as it now is.
    if (!res.ok && res.status !== 401) { status.textContent = await refusalText(res); return; }
    await showWhoIsSignedIn();
  });

  showWhoIsSignedIn();
})();
