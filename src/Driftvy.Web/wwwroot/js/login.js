// Sign-in: posts the credentials as JSON; on success returns to the page that sent the user here.
"use strict";

(function () {
  const form = document.getElementById("login-form");

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

  const status = document.getElementById("login-status");
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    status.textContent = "";
    const res = await fetch("/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: form.username.value, password: form.password.value }),
    });
    if (res.ok) {
      location.href = localReturnUrl(new URLSearchParams(location.search).get("ReturnUrl")) || "/steering";
      return;
    }
    status.textContent = res.status === 429 ? "För många försök härifrån. Försök igen senare."
      : "Fel användarnamn eller lösenord.";
  });
})();
