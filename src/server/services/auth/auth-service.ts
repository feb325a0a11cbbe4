import type { Actor } from "../../../shared/events.js";
import type { AuthResult, SessionInfo } from "../../../shared/schemas/auth.js";
import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import type { Mailer } from "../../core/mail/mailer.js";
import type { JobQueue } from "../../core/queue/port.js";
import type { RateLimiter } from "../../core/rate-limit.js";
import type { Database } from "../../db/database.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { PasswordResetsRepository } from "../../repositories/password-resets.js";
import type { SessionsRepository } from "../../repositories/sessions.js";
import type { UserRow, UsersRepository } from "../../repositories/users.js";
import { hashPassword, randomToken, sha256, verifyAgainstDecoy, verifyPassword } from "../../utils/crypto.js";
import { badInput, DomainError, tooManyAttempts, unauthorized } from "../errors.js";
import { toPublicUser } from "../users/public-user.js";
import type { DeviceCookies } from "./device-cookies.js";
import type { LoginThrottle } from "./login-throttle.js";
import { passwordProblem } from "./password-policy.js";
import type { AuthenticatedUser, SessionService } from "./sessions.js";
import { InvalidToken, type TokenService } from "./tokens.js";

declare module "../../core/queue/port.js" {
  interface JobPayloads {
    /**
     * Issues a reset token and mails it, if the email has an account. Queued for every request,
     * known email or not, so the request answers in the same time either way.
     */
    "auth.password-reset-mail": { email: string };
  }
}

const ACCOUNT_EVENTS = [
  "user.logged_out",
  "user.password_changed",
  "user.password_reset",
  "user.profile_updated",
  "user.role_changed",
  "user.disabled",
] as const;

export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;
/** The one answer to every failed login, so it never tells whether an email exists. */
export const LOGIN_FAILED_MESSAGE = "Incorrect email or password.";

export interface ClientMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
  /** The device cookie the browser sent, if any: see `device-cookies.ts`. */
  deviceCookie?: string | undefined;
}

export interface AuthServiceDeps {
  db: Database;
  users: UsersRepository;
  sessionsRepository: SessionsRepository;
  resets: PasswordResetsRepository;
  sessions: SessionService;
  tokens: TokenService;
  events: EventBus;
  mailer: Mailer;
  queue: JobQueue;
  /** Sign-in attempts, shared by every instance: see `login-throttle.ts`. */
  loginThrottle: LoginThrottle;
  deviceCookies: DeviceCookies;
  resetRequestsByEmail: RateLimiter;
  publicUrl: string;
  logger: Logger;
}

const userActor = (id: string): Actor => ({ kind: "user", id });
const anonymous: Actor = { kind: "anonymous" };

/** Sign-up, sign-in, sessions and password life cycle. */
export class AuthService {
  constructor(private readonly deps: AuthServiceDeps) {}

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
        await events.publish(tx, "user.logged_in", { userId: user.id, sessionId: session.id }, userActor(user.id));
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
    return this.authResult(created.user, created.session.id, now);
  }

  async login(input: { email: string; password: string }, meta: ClientMeta): Promise<AuthResult> {
    const { db, users, events, sessions, loginThrottle } = this.deps;
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
    const passwordOk = user
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
    const now = new Date();
    const session = await db.transaction(async (tx) => {
      const created = await sessions.create(tx, user, meta, now);
      await events.publish(tx, "user.logged_in", { userId: user.id, sessionId: created.id }, userActor(user.id));
      return created;
    });
    return this.authResult(user, session.id, now);
  }

  /** A fresh device cookie for an account that has just signed in (see `device-cookies.ts`). */
  issueDeviceCookie(userId: string): string {
    return this.deps.deviceCookies.issue(userId);
  }

  /** Verifies a bearer token or cookie value and checks its session. */
  async authenticate(token: string): Promise<AuthenticatedUser> {
    let claims: Awaited<ReturnType<TokenService["verify"]>>;
    try {
      claims = await this.deps.tokens.verify(token);
    } catch (error) {
      if (error instanceof InvalidToken) throw unauthorized("Your session is not valid. Please sign in again.");
      throw error;
    }
    return this.deps.sessions.resolve(claims);
  }

  /** Calls `listener` whenever an event concerns this user's account; returns the unsubscribe. */
  onAccountChange(userId: string, listener: () => void): () => void {
    return this.deps.events.listen(ACCOUNT_EVENTS, (envelope) => {
      if (envelope.payload.userId === userId) listener();
    });
  }

  async logout(caller: AuthenticatedUser): Promise<void> {
    const { db, sessionsRepository, events, sessions } = this.deps;
    await db.transaction(async (tx) => {
      await sessionsRepository.revoke(tx, caller.sessionId, caller.id, new Date());
      await events.publish(
        tx,
        "user.logged_out",
        { userId: caller.id, sessionIds: [caller.sessionId], everywhere: false },
        userActor(caller.id),
      );
    });
    await sessions.forget([caller.sessionId]);
  }

  async logoutAll(caller: AuthenticatedUser): Promise<number> {
    const { db, sessionsRepository, events, sessions } = this.deps;
    const revoked = await db.transaction(async (tx) => {
      const ids = await sessionsRepository.revokeAllForUser(tx, caller.id, new Date());
      await events.publish(
        tx,
        "user.logged_out",
        { userId: caller.id, sessionIds: ids, everywhere: true },
        userActor(caller.id),
      );
      return ids;
    });
    await sessions.forget(revoked);
    return revoked.length;
  }

  async listSessions(caller: AuthenticatedUser): Promise<SessionInfo[]> {
    return this.deps.sessions.listForUser(caller.id, caller.sessionId);
  }

  async revokeSession(caller: AuthenticatedUser, sessionId: string): Promise<void> {
    const { db, sessionsRepository, events, sessions } = this.deps;
    const revoked = await db.transaction(async (tx) => {
      const done = await sessionsRepository.revoke(tx, sessionId, caller.id, new Date());
      if (done) {
        await events.publish(
          tx,
          "user.logged_out",
          { userId: caller.id, sessionIds: [sessionId], everywhere: false },
          userActor(caller.id),
        );
      }
      return done;
    });
    // Someone else's session id looks exactly like an unknown one.
    if (!revoked) throw new DomainError("NOT_FOUND", "No such active session.");
    await sessions.forget([sessionId]);
  }

  /**
   * Changes the password, ends every session (tokens from before the change are void) and
   * opens a fresh one for the caller, so this browser stays signed in.
   */
  async changePassword(
    caller: AuthenticatedUser,
    input: { currentPassword: string; newPassword: string },
    meta: ClientMeta,
  ): Promise<AuthResult> {
    const { db, users, sessionsRepository, events, sessions } = this.deps;
    const user = await users.findById(db, caller.id);
    if (!user) throw unauthorized();
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw badInput("currentPassword", "Your current password is not correct");
    }
    const problem = passwordProblem(input.newPassword, { email: user.email });
    if (problem) throw badInput("newPassword", problem);
    if (input.newPassword === input.currentPassword) {
      throw badInput("newPassword", "Choose a password different from the current one");
    }
    const passwordHash = await hashPassword(input.newPassword);
    // A whole second later than any token issued so far: tokens carry whole seconds.
    const now = new Date(Math.ceil((Date.now() + 1) / 1000) * 1000);
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
    return this.authResult(result.user, result.session.id, now);
  }

  /**
   * Always answers the same way and in the same time, whether or not the email has an
   * account: the lookup and the mail happen in a job.
   */
  async requestPasswordReset(email: string): Promise<void> {
    // A few links per address per hour: beyond that a flood would bury the inbox and keep
    // voiding the link the owner is about to use. The answer does not change.
    const decision = await this.deps.resetRequestsByEmail.consume(email);
    if (!decision.allowed) return;
    await this.deps.queue.enqueue("auth.password-reset-mail", { email }, { attempts: 5, backoffMs: 2000 });
  }

  /** The job behind `requestPasswordReset`; a mail that cannot be sent fails the job, which retries. */
  async sendPasswordReset(email: string): Promise<void> {
    const { db, users, resets, events, mailer, publicUrl } = this.deps;
    const user = await users.findByEmail(db, email);
    if (!user || user.disabledAt) return;
    const token = randomToken();
    const now = new Date();
    await db.transaction(async (tx) => {
      await resets.invalidateForUser(tx, user.id, now);
      await resets.insert(tx, {
        userId: user.id,
        tokenHash: sha256(token),
        expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS),
      });
      await events.publish(tx, "user.password_reset_requested", { userId: user.id }, anonymous);
    });
    const link = `${publicUrl}/reset-password#token=${encodeURIComponent(token)}`;
    await mailer.send({
      to: user.email,
      subject: "Reset your Gantry password",
      text: `Hello ${user.name},\n\nSomeone asked to reset the password of your Gantry account. If it was you, open this link within 30 minutes:\n\n${link}\n\nIf it was not you, ignore this email: your password stays as it is.\n`,
    });
  }

  async resetPassword(input: { token: string; newPassword: string }): Promise<void> {
    const { db, users, resets, sessionsRepository, events, sessions } = this.deps;
    const invalid = () => badInput("token", "This reset link is invalid or has expired. Ask for a new one.");
    const passwordHash = await hashPassword(input.newPassword);
    const now = new Date(Math.ceil((Date.now() + 1) / 1000) * 1000);
    const revoked = await db.transaction(async (tx) => {
      const reset = await resets.consume(tx, sha256(input.token), new Date());
      if (!reset) throw invalid();
      const user = await users.findById(tx, reset.userId);
      if (!user || user.disabledAt) throw invalid();
      const problem = passwordProblem(input.newPassword, { email: user.email });
      if (problem) throw badInput("newPassword", problem);
      await users.update(tx, user.id, { passwordHash, passwordChangedAt: now });
      const ids = await sessionsRepository.revokeAllForUser(tx, user.id, now);
      await events.publish(tx, "user.password_reset", { userId: user.id, revokedSessionIds: ids }, userActor(user.id));
      return ids;
    });
    await sessions.forget(revoked);
  }

  /** ADMIN_EMAIL / ADMIN_PASSWORD: create that admin, or promote the existing account. */
  async ensureAdmin(email: string, password: string): Promise<void> {
    try {
      await this.makeSureAdminExists(email, password);
    } catch (error) {
      // API and worker processes start together and may both create the admin: the unique
      // email decides, and the loser finds the winner's account on a second look.
      if (!isUniqueViolation(error)) throw error;
      await this.makeSureAdminExists(email, password);
    }
  }

  private async makeSureAdminExists(email: string, password: string): Promise<void> {
    const { db, users, events, sessionsRepository, sessions } = this.deps;
    const existing = await users.findByEmail(db, email);
    if (existing?.role === "admin") return;
    const system: Actor = { kind: "system", id: "admin-bootstrap" };
    const passwordHash = await hashPassword(password);
    const revoked = await db.transaction(async (tx) => {
      if (existing) {
        // Anyone could have signed up with this email before the operator set it (sign-up does
        // not verify addresses): the account becomes admin only with the operator's password,
        // and whoever held it loses every session.
        const now = new Date(Math.ceil((Date.now() + 1) / 1000) * 1000);
        await users.update(tx, existing.id, { role: "admin", passwordHash, passwordChangedAt: now, disabledAt: null });
        const ids = await sessionsRepository.revokeAllForUser(tx, existing.id, now);
        await events.publish(
          tx,
          "user.role_changed",
          { userId: existing.id, from: existing.role, to: "admin" },
          system,
        );
        await events.publish(tx, "user.password_reset", { userId: existing.id, revokedSessionIds: ids }, system);
        return ids;
      }
      const user = await users.insert(tx, {
        email,
        name: "Administrator",
        role: "admin",
        passwordHash,
      });
      await events.publish(tx, "user.registered", { userId: user.id, email }, system);
      return [];
    });
    await sessions.forget(revoked);
  }

  private async authResult(user: UserRow, sessionId: string, now: Date): Promise<AuthResult> {
    // The session check refuses tokens issued before passwordChangedAt, which a change or reset
    // rounds up to the next whole second (and the database stamps on sign-up): never date a
    // fresh token earlier than it, or a sign-in in that same second gets a token already void.
    const issuedAt = new Date(Math.max(now.getTime(), user.passwordChangedAt.getTime()));
    const { token, expiresAt } = await this.deps.tokens.issue(user.id, sessionId, issuedAt);
    return { user: toPublicUser(user), accessToken: token, expiresAt };
  }
}
