// Sign-in: posts the credentials as JSON; on success returns to the page that sent the user here.
"use strict";

(function () {
  const form = document.getElementById("login-form");
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
      const back = new URLSearchParams(location.search).get("ReturnUrl");
      location.href = back && back.startsWith("/") && !back.startsWith("//") ? back : "/steering";
      return;
    }
    status.textContent = res.status === 423 ? "Kontot är låst efter för många misslyckade försök. Försök igen senare."
      : res.status === 429 ? "För många försök. Vänta en minut."
      : "Fel användarnamn eller lösenord.";
  });
})();
