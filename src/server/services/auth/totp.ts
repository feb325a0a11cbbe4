import { Secret, TOTP } from "otpauth";

/**
 * Time-based one-time codes (RFC 6238) as every authenticator app makes them by default:
 * SHA-1, six digits, a new code every 30 seconds. Pure functions over `otpauth`; the
 * service keeps the secret encrypted and remembers the last step used.
 */
const PARAMETERS = { algorithm: "SHA1", digits: 6, period: 30 } as const;
/** A code from one step before or after now is accepted too (clock drift, slow typing; RFC 6238 §5.2). */
const WINDOW = 1;
export const TOTP_CODE = /^\d{6}$/;

/** A fresh 160-bit secret (RFC 4226's recommended length), base32 as apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` URI a QR code carries: the app shows `issuer (account)`. */
export function otpauthUri(secret: string, account: string, issuer: string): string {
  return new TOTP({ ...PARAMETERS, issuer, label: account, secret: Secret.fromBase32(secret) }).toString();
}

/** The 30-second step `timestamp` (ms) falls in. */
export function totpStep(timestamp: number): number {
  return TOTP.counter({ period: PARAMETERS.period, timestamp });
}

/** The code for a step, as an app would show it (tests and the end-to-end journey use this). */
export function totpCodeAt(secret: string, timestamp: number): string {
  return TOTP.generate({ ...PARAMETERS, secret: Secret.fromBase32(secret), timestamp });
}

/**
 * The step whose code `code` is, within one step of `timestamp`, or null. A step at or before
 * `lastUsedStep` is refused: a code is accepted once, and never one older than the last used.
 */
export function acceptedStep(
  secret: string,
  code: string,
  timestamp: number,
  lastUsedStep: number | null,
): number | null {
  if (!TOTP_CODE.test(code)) return null;
  const delta = TOTP.validate({
    ...PARAMETERS,
    token: code,
    secret: Secret.fromBase32(secret),
    timestamp,
    window: WINDOW,
  });
  if (delta === null) return null;
  const step = totpStep(timestamp) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return null;
  return step;
}
