import type { AuthResult } from "../../../shared/schemas/auth.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database } from "../../db/database.js";
import type { SessionsRepository } from "../../repositories/sessions.js";
import type { UsersRepository } from "../../repositories/users.js";
import { hashPassword, verifyPassword } from "../../utils/crypto.js";
import { badInput, unauthorized } from "../errors.js";
import { authResult, type ClientMeta, nextWholeSecond, userActor } from "./auth-result.js";
import { passwordProblem } from "./password-policy.js";
import type { SessionCaller, SessionService } from "./sessions.js";
import type { TokenService } from "./tokens.js";

export interface PasswordChangeDeps {
  db: Database;
  users: UsersRepository;
  sessionsRepository: SessionsRepository;
  sessions: SessionService;
  tokens: TokenService;
  events: EventBus;
}

/** A signed-in user changes their password, knowing the current one. */
export class PasswordChange {
  constructor(private readonly deps: PasswordChangeDeps) {}

  /**
   * Changes the password, ends every session (tokens from before the change are void) and
   * opens a fresh one for the caller, so this browser stays signed in.
   */
  async change(
    caller: SessionCaller,
    input: { currentPassword: string; newPassword: string },
    meta: ClientMeta,
  ): Promise<AuthResult> {
    const { db, users, sessionsRepository, events, sessions } = this.deps;
    const user = await users.findById(db, caller.id);
    if (!user) throw unauthorized();
    if (user.passwordHash === null) {
      // Opened by single sign-on: a first password comes by email, which proves the address.
      throw badInput(
        "currentPassword",
        "This account has no password yet. Set one with “Forgot your password?” on the sign-in page",
      );
    }
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw badInput("currentPassword", "Your current password is not correct");
    }
    const problem = passwordProblem(input.newPassword, { email: user.email });
    if (problem) throw badInput("newPassword", problem);
    if (input.newPassword === input.currentPassword) {
      throw badInput("newPassword", "Choose a password different from the current one");
    }
    const passwordHash = await hashPassword(input.newPassword);
    const now = nextWholeSecond();
    const result = await db.transaction(async (tx) => {
      const updated = await users.update(tx, user.id, { passwordHash, passwordChangedAt: now });
      const revoked = await sessionsRepository.revokeAllForUser(tx, user.id, now);
      const session = await sessions.create(tx, updated ?? user, meta, now);
      await events.publish(
        tx,
        "user.password_changed",
        { userId: user.id, revokedSessionIds: revoked },
        userActor(user.id),
      );
      return { user: updated ?? user, revoked, session };
    });
    await sessions.forget(result.revoked);
    return authResult(this.deps.tokens, result.user, result.session.id, now);
  }
}
