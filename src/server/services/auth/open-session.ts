import type { AuthResult } from "../../../shared/schemas/auth.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database } from "../../db/database.js";
import type { UserRow } from "../../repositories/users.js";
import { authResult, type ClientMeta, userActor } from "./auth-result.js";
import type { SessionService } from "./sessions.js";
import type { TokenService } from "./tokens.js";

export interface OpenSessionDeps {
  db: Database;
  sessions: SessionService;
  events: EventBus;
  tokens: TokenService;
}

/** How a user proved who they are, as `user.logged_in` records it. */
export type SignInMethod = "password" | "passkey";

/**
 * Opens a session for a user who has just proved who they are, whatever the proof: the session
 * row and its `user.logged_in` event in one transaction, then the access token. Every sign-in
 * path ends here, so a session is the same however it was earned.
 */
export async function openSession(
  deps: OpenSessionDeps,
  user: UserRow,
  meta: ClientMeta,
  method: SignInMethod,
): Promise<AuthResult> {
  const now = new Date();
  const session = await deps.db.transaction(async (tx) => {
    const created = await deps.sessions.create(tx, user, meta, now);
    await deps.events.publish(
      tx,
      "user.logged_in",
      { userId: user.id, sessionId: created.id, method },
      userActor(user.id),
    );
    return created;
  });
  return authResult(deps.tokens, user, session.id, now);
}
