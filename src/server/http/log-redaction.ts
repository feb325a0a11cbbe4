/** Query parameters that can carry a credential; their values never reach the logs. */
const SECRET_PARAMS =
  /^(connectionparams|token|access_?token|refresh_?token|authorization|auth|api_?key|password|secret|session|code)$/i;

/**
 * The URL as it may be logged: the value of any query parameter that can carry a credential
 * (a WebSocket's `connectionParams`, `?token=`, ...) replaced by `[redacted]`. Headers never
 * reach the request log; the logger's redact paths cover them elsewhere (core/logger.ts).
 */
export function redactUrl(url: string): string {
  const at = url.indexOf("?");
  if (at === -1) return url;
  const parts = url
    .slice(at + 1)
    .split("&")
    .map((part) => {
      const eq = part.indexOf("=");
      const rawName = eq === -1 ? part : part.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, " "));
      } catch {
        // A malformed name is logged as sent; it cannot match a credential's name anyway.
      }
      return eq !== -1 && SECRET_PARAMS.test(name.trim()) ? `${rawName}=[redacted]` : part;
    });
  return `${url.slice(0, at)}?${parts.join("&")}`;
}
