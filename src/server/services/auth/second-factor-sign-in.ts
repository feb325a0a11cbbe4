import type { AuthResult } from "../../../shared/schemas/auth.js";
import type { SecondFactorChallenge } from "../../../shared/schemas/two-factor.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database } from "../../db/database.js";
import type { TwoFactorChallengesRepository } from "../../repositories/two-factor-challenges.js";
import type { UserRow, UsersRepository } from "../../repositories/users.js";
import { randomToken, sha256 } from "../../utils/crypto.js";
import { DomainError, tooManyAttempts, unauthorized } from "../errors.js";
import { anonymous, authResult, type ClientMeta, userActor } from "./auth-result.js";
import type { LoginThrottle } from "./login-throttle.js";
import type { SessionService } from "./sessions.js";
import type { TokenService } from "./tokens.js";
import { type TwoFactor, WRONG_SECOND_FACTOR_CODE } from "./two-factor.js";

/** Long enough to open the app and type a code; short enough that a leaked challenge soon dies. */
const CHALLENGE_TTL_MS = 5 * 60_000;
/** Wrong codes one challenge takes before the password must be typed again. */
const CHALLENGE_MAX_FAILURES = 5;
const CHALLENGE_GONE = "This sign-in has expired or was already completed. Sign in again.";

export interface SecondFactorSignInDeps {
  db: Database;
  users: UsersRepository;
  challenges: TwoFactorChallengesRepository;
  sessions: SessionService;
  tokens: TokenService;
  events: EventBus;
  twoFactor: TwoFactor;
  /** The same limits as passwords, under names of their own (see `login-throttle.ts`). */
  codeThrottle: LoginThrottle;
}

/** Aborts the completing transaction: the code or the challenge was used by another request. */
class AlreadySpent extends Error {}

/**
 * The second step of a password sign-in for an account with two-factor on: the password step
 * answers with a challenge (no session yet); this completes it with a code from the app or a
 * recovery code. The challenge is short-lived, single-use, stored only as its SHA-256, and
 * void after a few wrong codes; codes are rate limited like passwords.
 */
export class SecondFactorSignIn {
  constructor(private readonly deps: SecondFactorSignInDeps) {}

  /** Whether this user's password sign-in stops at a challenge. */
  required(userId: string): Promise<boolean> {
    return this.deps.twoFactor.isEnabled(userId);
  }

  async challenge(user: UserRow, now: Date): Promise<SecondFactorChallenge> {
    const { db, challenges } = this.deps;
    const token = randomToken();
    const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
    await db.transaction(async (tx) => {
      await challenges.deleteSpentForUser(tx, user.id, now);
      await challenges.insert(tx, { userId: user.id, tokenHash: sha256(token), expiresAt });
    });
    return { secondFactorRequired: true, challenge: token, challengeExpiresAt: expiresAt };
  }

  async complete(input: { challenge: string; code: string }, meta: ClientMeta): Promise<AuthResult> {
    const { db, users, challenges, sessions, events, twoFactor } = this.deps;
    const now = new Date();
    const challenge = await challenges.findLive(db, sha256(input.challenge), now, CHALLENGE_MAX_FAILURES);
    const user = challenge ? await users.findById(db, challenge.userId) : undefined;
    if (!challenge || !user || user.disabledAt) throw unauthorized(CHALLENGE_GONE);

    const admission = await this.deps.codeThrottle.admit({ email: user.email, address: meta.ip ?? "unknown" });
    if (!admission.allowed) {
      await db.transaction((tx) =>
        events.publish(
          tx,
          "user.login_failed",
          { email: user.email, userId: user.id, reason: "rate_limited" },
          anonymous,
        ),
      );
      throw tooManyAttempts(admission.retryAfterMs, "Too many wrong codes");
    }

    const accepted = await twoFactor.check(user.id, input.code, now);
    const session = accepted
      ? await db
          .transaction(async (tx) => {
            if (!(await challenges.consume(tx, challenge.id, now))) throw new AlreadySpent();
            if (!(await twoFactor.spend(tx, user.id, accepted, now))) throw new AlreadySpent();
            const created = await sessions.create(tx, user, meta, now);
            await events.publish(tx, "user.logged_in", { userId: user.id, sessionId: created.id }, userActor(user.id));
            return created;
          })
          .catch((error: unknown) => {
            if (error instanceof AlreadySpent) return undefined;
            throw error;
          })
      : undefined;

    if (!session) {
      await db.transaction(async (tx) => {
        await challenges.recordFailure(tx, challenge.id);
        await events.publish(
          tx,
          "user.login_failed",
          { email: user.email, userId: user.id, reason: "bad_second_factor" },
          anonymous,
        );
      });
      throw new DomainError("UNAUTHORIZED", WRONG_SECOND_FACTOR_CODE, {
        fieldErrors: { code: [WRONG_SECOND_FACTOR_CODE] },
      });
    }
    await admission.succeeded();
    return authResult(this.deps.tokens, user, session.id, now);
  }
}
