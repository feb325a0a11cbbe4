import { constantTimeEqual, hmacSha256, randomToken } from "../../utils/crypto.js";

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): after a
 * successful sign-in the browser gets `<accountId>.<nonce>.<mac>`, signed with a key derived
 * from the JWT secret. A later sign-in presenting a genuine one for the same account proves
 * the device once knew the password, so it is exempt from the per-account ceiling that a
 * distributed attacker would otherwise use to keep the owner out.
 */
export class DeviceCookies {
  private readonly key: string;

  constructor(jwtSecret: string) {
    // A key of its own, so a device cookie's MAC can never be mistaken for anything else signed.
    this.key = hmacSha256(jwtSecret, "gantry device cookies");
  }

  issue(accountId: string): string {
    const nonce = randomToken(16);
    return `${accountId}.${nonce}.${this.mac(accountId, nonce)}`;
  }

  /** The account a genuine cookie names; undefined for anything forged, altered or malformed. */
  accountOf(value: string | undefined): string | undefined {
    if (!value || value.length > 256) return undefined;
    const parts = value.split(".");
    if (parts.length !== 3) return undefined;
    const [accountId, nonce, mac] = parts as [string, string, string];
    if (!accountId || !nonce) return undefined;
    return constantTimeEqual(mac, this.mac(accountId, nonce)) ? accountId : undefined;
  }

  private mac(accountId: string, nonce: string): string {
    return hmacSha256(this.key, `${accountId}.${nonce}`);
  }
}
