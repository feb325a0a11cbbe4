import type { AuthResult } from "../../../shared/schemas/auth.js";
import type { SecondFactorChallenge } from "../../../shared/schemas/two-factor.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database } from "../../db/database.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { UsersRepository } from "../../repositories/users.js";
import { hashPassword, verifyAgainstDecoy, verifyPassword } from "../../utils/crypto.js";
import { badInput, DomainError, tooManyAttempts, unauthorized } from "../errors.js";
import { anonymous, authResult, type ClientMeta, userActor } from "./auth-result.js";
import type { DeviceCookies } from "./device-cookies.js";
import type { LoginThrottle } from "./login-throttle.js";
import { openSession } from "./open-session.js";
import { passwordProblem } from "./password-policy.js";
import type { SecondFactorSignIn } from "./second-factor-sign-in.js";
import type { SessionService } from "./sessions.js";
import type { TokenService } from "./tokens.js";

/** The one answer to every failed login, so it never tells whether an email exists. */
const LOGIN_FAILED_MESSAGE = "Incorrect email or password.";

export interface SignInDeps {
  db: Database;
  users: UsersRepository;
  sessions: SessionService;
  tokens: TokenService;
  events: EventBus;
  /** Sign-in attempts, shared by every instance: see `login-throttle.ts`. */
  loginThrottle: LoginThrottle;
  deviceCookies: DeviceCookies;
  /** Accounts with two-factor on stop at a challenge after the password. */
  secondFactor: SecondFactorSignIn;
}

/** Opening a session: a new account's first one, or a sign-in with email and password. */
export class SignIn {
  constructor(private readonly deps: SignInDeps) {}

  async signup(input: { email: string; password: string; name: string }, meta: ClientMeta): Promise<AuthResult> {
    const problem = passwordProblem(input.password, { email: input.email });
    if (problem) throw badInput("password", problem);
    const passwordHash = await hashPassword(input.password);
    const now = new Date();
    const { db, users, events, sessions } = this.deps;
    const created = await db
      .transaction(async (tx) => {
        if (await users.findByEmail(tx, input.email)) return undefined;
        const user = await users.insert(tx, { email: input.email, name: input.name, passwordHash, role: "user" });
        await events.publish(tx, "user.registered", { userId: user.id, email: user.email }, userActor(user.id));
        const session = await sessions.create(tx, user, meta, now);
        await events.publish(
          tx,
          "user.logged_in",
          { userId: user.id, sessionId: session.id, method: "password" },
          userActor(user.id),
        );
        return { user, session };
      })
      .catch((error: unknown) => {
        // Two sign-ups racing for one email: the unique index decides, the loser gets CONFLICT.
        if (isUniqueViolation(error)) return undefined;
        throw error;
      });
    if (!created) {
      throw new DomainError("CONFLICT", "An account with this email already exists. Sign in instead.", {
        fieldErrors: { email: ["An account with this email already exists"] },
      });
    }
    return authResult(this.deps.tokens, created.user, created.session.id, now);
  }

  async login(
    input: { email: string; password: string },
    meta: ClientMeta,
  ): Promise<AuthResult | SecondFactorChallenge> {
    const { db, users, events, loginThrottle } = this.deps;
    // A device cookie only counts if genuine and for this account. The account is looked up
    // early only then: a cookie for an unknown email is never genuine, so it answers as none.
    const claimed = this.deps.deviceCookies.accountOf(meta.deviceCookie);
    const early = claimed ? await users.findByEmail(db, input.email) : undefined;
    const attempt = {
      email: input.email,
      address: meta.ip ?? "unknown",
      trustedDevice: early && early.id === claimed ? meta.deviceCookie : undefined,
    };
    // Every attempt spends its points before the password is checked, so concurrent guesses
    // cannot all slip past the limits; a successful sign-in gives them back.
    const admission = await loginThrottle.admit(attempt);
    if (!admission.allowed) {
      await db.transaction((tx) =>
        events.publish(tx, "user.login_failed", { email: input.email, reason: "rate_limited" }, anonymous),
      );
      throw tooManyAttempts(admission.retryAfterMs, "Too many failed sign-in attempts");
    }

    const user = early ?? (await users.findByEmail(db, input.email));
    // An account without a password (opened by single sign-on) costs the same time as no account.
    const passwordOk = user?.passwordHash
      ? await verifyPassword(user.passwordHash, input.password)
      : await verifyAgainstDecoy(input.password);

    if (!user || !passwordOk) {
      await db.transaction((tx) =>
        events.publish(
          tx,
          "user.login_failed",
          { email: input.email, userId: user?.id, reason: "bad_credentials" },
          anonymous,
        ),
      );
      throw unauthorized(LOGIN_FAILED_MESSAGE);
    }
    if (user.disabledAt) {
      // Only someone who knows the password learns that the account is disabled.
      await db.transaction((tx) =>
        events.publish(tx, "user.login_failed", { email: input.email, userId: user.id, reason: "disabled" }, anonymous),
      );
      throw new DomainError("FORBIDDEN", "This account is disabled. Contact an administrator.");
    }

    await admission.succeeded();
    // The password was right, but no session opens until a code completes the challenge.
    if (await this.deps.secondFactor.required(user.id)) return this.deps.secondFactor.challenge(user, new Date());
    return openSession(this.deps, user, meta, "password");
  }

  /** A fresh device cookie for an account that has just signed in (see `device-cookies.ts`). */
  issueDeviceCookie(userId: string): string {
    return this.deps.deviceCookies.issue(userId);
  }
}
