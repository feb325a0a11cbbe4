import { constantTimeEqual, hmacSha256 } from "../../utils/crypto.js";
import { WebhookRejected } from "./provider.js";

/**
 * Gantry's own webhook signature (the sandbox's, shaped like Stripe's):
 * `gantry-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The timestamp is signed too, so an old request cannot be replayed with a fresh one.
 */
export const SIGNATURE_HEADER = "gantry-signature";
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

function signedPayload(timestamp: number, rawBody: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody)]);
}

export function signatureHeader(secret: string, rawBody: Buffer | string, timestamp: number): string {
  return `t=${timestamp},v1=${hmacSha256(secret, signedPayload(timestamp, rawBody))}`;
}

/** Throws `WebhookRejected` unless one `v1` signature matches and `t` is within the tolerance of `now`. */
export function verifySignature(
  secret: string,
  rawBody: Buffer,
  header: string | string[] | undefined,
  now: Date,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): void {
  if (typeof header !== "string" || header.length === 0) {
    throw new WebhookRejected(`Missing ${SIGNATURE_HEADER} header.`);
  }
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [name, value] = part.trim().split("=", 2);
    if (name === "t" && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // Several v1 values are allowed so a secret can be rotated without downtime.
    else if (name === "v1" && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new WebhookRejected(`Malformed ${SIGNATURE_HEADER} header: expected t=<timestamp>,v1=<signature>.`);
  }
  const ageSeconds = Math.abs(now.getTime() / 1000 - timestamp);
  if (ageSeconds > toleranceSeconds) {
    throw new WebhookRejected(
      `Webhook timestamp is outside the ${Math.round(toleranceSeconds / 60)}-minute tolerance; refusing a possible replay.`,
    );
  }
  const expected = hmacSha256(secret, signedPayload(timestamp, rawBody));
  // Check every candidate, so the time taken does not depend on which one matched.
  const matched = signatures.map((signature) => constantTimeEqual(signature, expected)).includes(true);
  if (!matched) throw new WebhookRejected("Webhook signature does not match the payload.");
}
