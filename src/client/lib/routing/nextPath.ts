/** Pages that make no sense to return to after signing in. */
const AUTH_PAGES = ["/login", "/signup", "/forgot-password", "/reset-password"];

/**
 * Where to go after signing in: the `next` parameter when it is a path on this site, else
 * `fallback`. Anything else (`//evil.example`, `https://…`, `javascript:`) would turn the
 * sign-in page into an open redirect.
 */
export function safeNextPath(raw: string | null | undefined, fallback = "/"): string {
  if (!raw?.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  const base = "http://gantry.invalid";
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base || AUTH_PAGES.includes(url.pathname)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, remembering the page to come back to. */
export function loginPathFor(location: { pathname: string; search: string }): string {
  const here = `${location.pathname}${location.search}`;
  return here === "/" || AUTH_PAGES.includes(location.pathname) ? "/login" : `/login?next=${encodeURIComponent(here)}`;
}
