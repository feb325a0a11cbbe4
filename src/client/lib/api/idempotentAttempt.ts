import { isWorthRetrying } from "./apiError";

/**
 * One attempt at a mutation that must not happen twice (a payment, a refund): its
 * idempotency key and the parameters it was sent with. Resending the same parameters
 * reuses the key, so a retry after a lost answer, or a second click, gets the first
 * call's result from the server instead of a second charge.
 */
export interface Attempt {
  key: string;
  fingerprint: string;
}

/** The same parameters give the same fingerprint whatever order their fields were written in. */
export function fingerprintOf(params: Readonly<Record<string, unknown>>): string {
  const sorted = Object.keys(params)
    .sort()
    .map((name) => [name, params[name] ?? null]);
  return JSON.stringify(sorted);
}

/**
 * The attempt to send `fingerprint` under: the open one when it carries the same
 * parameters, otherwise a new one. Other parameters under an old key would be refused
 * as a CONFLICT, and they are a different payment anyway.
 */
export function attemptFor(open: Attempt | null, fingerprint: string, newKey: () => string): Attempt {
  return open && open.fingerprint === fingerprint ? open : { key: newKey(), fingerprint };
}

/**
 * What stays open once the call with `key` has an answer. A success closes it: sending the
 * same again later is meant as a new payment. A failure the server may not have seen
 * (network, 5xx: it may even have charged) keeps it, so the retry is recognised. A clear
 * refusal (4xx) closes it: nothing was done, and a fresh key avoids replaying the refusal.
 * An answer for an older attempt changes nothing.
 */
export function attemptAfter(
  open: Attempt | null,
  key: string,
  outcome: { error: unknown } | "succeeded",
): Attempt | null {
  if (!open || open.key !== key) return open;
  if (outcome === "succeeded") return null;
  return isWorthRetrying(outcome.error) ? open : null;
}

/**
 * A random UUID. `crypto.randomUUID` exists only in secure contexts (HTTPS, localhost);
 * `getRandomValues` everywhere, so a plain-HTTP intranet deployment still gets good keys.
 */
export function newIdempotencyKey(
  source: Pick<Crypto, "getRandomValues"> & Partial<Pick<Crypto, "randomUUID">> = crypto,
): string {
  if (typeof source.randomUUID === "function") return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  // RFC 4122 version 4: four bits of version, two of variant.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
