import type { Actor } from "../../../shared/events.js";
import type { AuthResult } from "../../../shared/schemas/auth.js";
import type { UserRow } from "../../repositories/users.js";
import { toPublicUser } from "../users/public-user.js";
import type { TokenService } from "./tokens.js";

export const userActor = (id: string): Actor => ({ kind: "user", id });
export const anonymous: Actor = { kind: "anonymous" };

/** What a browser or client may send along with a sign-in, for the session it opens. */
export interface ClientMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
  /** The device cookie the browser sent, if any: see `device-cookies.ts`. */
  deviceCookie?: string | undefined;
}

/**
 * "Tokens carry whole seconds": a password change or reset is stamped a whole second later than
 * any token issued so far, so that every older token is void.
 */
export function nextWholeSecond(): Date {
  return new Date(Math.ceil((Date.now() + 1) / 1000) * 1000);
}

/** The access token for a session just opened, and the user it is for. */
export async function authResult(
  tokens: TokenService,
  user: UserRow,
  sessionId: string,
  now: Date,
): Promise<AuthResult> {
  // The session check refuses tokens issued before passwordChangedAt, which a change or reset
  // rounds up to the next whole second (and the database stamps on sign-up): never date a
  // fresh token earlier than it, or a sign-in in that same second gets a token already void.
  const issuedAt = new Date(Math.max(now.getTime(), user.passwordChangedAt.getTime()));
  const { token, expiresAt } = await tokens.issue(user.id, sessionId, issuedAt);
  return { user: toPublicUser(user), accessToken: token, expiresAt };
}
