/**
 * The reset token from the link's hash (`#token=…`). The hash is never sent to a server
 * nor put in a Referer header, so the token does not leak into logs.
 */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token?.trim() || null;
}
