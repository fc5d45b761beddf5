// Where the sign-in page may send the user back to: only a path on this site. Checking the text is not enough: a
// browser reads "/%5Chost/x" or "/%09/host/x" (once decoded) as another site, so let URL parse the address, keep it
// only if it stays on this origin, and never hand back a path that itself starts with two slashes.

export function localReturnUrl(back: string | null | undefined, origin: string): string | null {
  if (!back || back[0] !== "/") { return null; }
  let url: URL;
  try { url = new URL(back, origin); } catch { return null; }
  if (url.origin !== origin || url.pathname.startsWith("//")) { return null; }
  return url.pathname + url.search + url.hash;
}
