import { constantTimeEqual, hmacSha256 } from "../../utils/crypto.js";
import type { AuthorizationChecks } from "./oidc-client.js";

/** How long a person has at the provider before the flow is void. */
export const SSO_FLOW_TTL_MS = 10 * 60 * 1000;

/**
 * One sign-in or link through the provider, from its start to its callback. It travels in a
 * signed, httpOnly, short-lived cookie, so the callback only completes in the browser that
 * started the flow (state alone, arriving in the URL, could be handed to someone else), and
 * the server keeps nothing per flow. The PKCE verifier and nonce are the browser's own
 * secrets for this one flow; the MAC only stops them being altered or forged.
 */
export interface SsoFlow extends AuthorizationChecks {
  intent: "login" | "link";
  /** A path on this site to land on after signing in. */
  next: string;
  /** For a link: the session that started it, which must still be the one calling back. */
  sessionId?: string | undefined;
  userId?: string | undefined;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Longest cookie value accepted: a flow is a few hundred bytes. */
const MAX_SEALED_LENGTH = 2048;

export class SsoFlowSeal {
  private readonly key: string;

  constructor(jwtSecret: string) {
    // A key of its own, so a flow's MAC can never be mistaken for anything else signed.
    this.key = hmacSha256(jwtSecret, "gantry sso flows");
  }

  seal(flow: SsoFlow): string {
    const body = Buffer.from(JSON.stringify(flow)).toString("base64url");
    return `${body}.${hmacSha256(this.key, body)}`;
  }

  /** The flow a genuine cookie carries; undefined for anything forged, altered or malformed. */
  open(value: string | undefined): SsoFlow | undefined {
    if (!value || value.length > MAX_SEALED_LENGTH) return undefined;
    const [body, mac, extra] = value.split(".");
    if (!body || !mac || extra !== undefined || !constantTimeEqual(mac, hmacSha256(this.key, body))) return undefined;
    try {
      const flow = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as SsoFlow;
      return typeof flow.state === "string" && typeof flow.expiresAt === "number" ? flow : undefined;
    } catch {
      return undefined;
    }
  }
}

const AUTH_PAGES = ["/login", "/signup", "/forgot-password", "/reset-password"];

/**
 * A path on this site to land on after the callback, else "/": the server-side twin of the
 * client's `safeNextPath`, so `next` can never make the callback an open redirect.
 */
export function landingPath(raw: string | undefined): string {
  if (!raw || raw.length > 1000 || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  const base = "http://gantry.invalid";
  try {
    const url = new URL(raw, base);
    if (url.origin !== base || AUTH_PAGES.includes(url.pathname)) return "/";
    return `${url.pathname}${url.search}`;
  } catch {
    return "/";
  }
}
