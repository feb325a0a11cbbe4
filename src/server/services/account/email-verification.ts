import type { Caller } from "../../../shared/ownership.js";
import type { VerificationStatus, VerifiedEmailFeature } from "../../../shared/schemas/account.js";
import type { PublicUser } from "../../../shared/schemas/auth.js";
import type { Cache } from "../../core/cache/index.js";
import type { EventBus } from "../../core/events/index.js";
import type { Mailer } from "../../core/mail/mailer.js";
import { addJob } from "../../core/queue/job-outbox.js";
import type { JobQueue } from "../../core/queue/port.js";
import type { RateLimiter } from "../../core/rate-limit.js";
import type { Database, Transaction } from "../../db/database.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { EmailVerificationsRepository } from "../../repositories/email-verifications.js";
import type { UsersRepository } from "../../repositories/users.js";
import { randomToken, sha256, verifyPassword } from "../../utils/crypto.js";
import { badInput, DomainError, notFound, tooManyAttempts, unauthorized } from "../errors.js";
import { toPublicUser } from "../users/public-user.js";
import { userTag } from "../users/users-service.js";

declare module "../../core/queue/port.js" {
  interface JobPayloads {
    /** Issues a verification link for the account's current address and mails it. */
    "account.verification-mail": { userId: string; reason: "signup" | "resend" | "email_changed" };
    /** Tells the address an account just left that it was changed (in case it was not its owner). */
    "account.email-changed-notice": { to: string; name: string };
  }
}

/** A link stays good for a day: long enough to find the mail, short enough to age out of a mailbox. */
export const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

const FEATURE_TEXT: Record<VerifiedEmailFeature, string> = {
  payments: "making payments",
  imports: "importing data sets",
};

export interface EmailVerificationDeps {
  db: Database;
  users: UsersRepository;
  verifications: EmailVerificationsRepository;
  events: EventBus;
  mailer: Mailer;
  queue: JobQueue;
  cache: Cache;
  /** Resends and email changes per account: the password reset's limit (3 an hour). */
  linksByAccount: RateLimiter;
  publicUrl: string;
  /** REQUIRE_VERIFIED_EMAIL. */
  requiredFor: readonly VerifiedEmailFeature[];
}

/**
 * Proving an email address: a single-use, expiring link by mail (hashed at rest, as password
 * resets are), resent on request within a limit, asked for again when the address changes.
 * Unverified accounts sign in as usual; REQUIRE_VERIFIED_EMAIL may keep them from some features.
 */
export class EmailVerification {
  constructor(private readonly deps: EmailVerificationDeps) {}

  /** From the `user.registered` consumer: the first link goes out by job, once per account. */
  async onRegistered(tx: Transaction, userId: string): Promise<void> {
    const user = await this.deps.users.findById(tx, userId);
    if (!user || user.emailVerifiedAt || user.deletedAt) return;
    await addJob(
      tx,
      "account.verification-mail",
      { userId, reason: "signup" },
      { idempotencyKey: `signup:${userId}`, attempts: 5, backoffMs: 2000 },
    );
  }

  status(caller: Caller): Promise<VerificationStatus> {
    return this.deps.users.findById(this.deps.db, caller.id).then((user) => {
      if (!user) throw unauthorized();
      return { verified: user.emailVerifiedAt !== null, requiredFor: [...this.deps.requiredFor] };
    });
  }

  /** A new link for the signed-in account, at most as often as password resets. */
  async resend(caller: Caller): Promise<{ sent: boolean }> {
    const user = await this.deps.users.findById(this.deps.db, caller.id);
    if (!user) throw unauthorized();
    if (user.emailVerifiedAt) return { sent: false };
    await this.spendLink(user.id);
    await this.deps.queue.enqueue(
      "account.verification-mail",
      { userId: user.id, reason: "resend" },
      { attempts: 5, backoffMs: 2000 },
    );
    return { sent: true };
  }

  /** The job: a fresh link (earlier ones stop working) to the account's address as it is now. */
  async sendLink(userId: string, reason: "signup" | "resend" | "email_changed"): Promise<void> {
    const { db, users, verifications, events, mailer, publicUrl } = this.deps;
    const user = await users.findById(db, userId);
    if (!user || user.emailVerifiedAt || user.deletedAt || user.disabledAt) return;
    const token = randomToken();
    const now = new Date();
    await db.transaction(async (tx) => {
      await verifications.invalidateForUser(tx, user.id, now);
      await verifications.insert(tx, {
        userId: user.id,
        email: user.email,
        tokenHash: sha256(token),
        expiresAt: new Date(now.getTime() + VERIFICATION_TTL_MS),
      });
      await events.publish(tx, "user.email_verification_sent", { userId: user.id, reason }, systemActor);
    });
    const link = `${publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
    await mailer.send({
      to: user.email,
      subject: "Verify your Gantry email address",
      text: `Hello ${user.name},\n\nPlease confirm that this is your email address by opening this link within 24 hours:\n\n${link}\n\nThe link works once. If you did not make a Gantry account with this address, ignore this email.\n`,
    });
  }

  /** Opens a link: works once, before it expires, and only for the address it was sent to. */
  async verify(token: string): Promise<{ verified: true }> {
    const { db, users, verifications, events } = this.deps;
    const invalid = () =>
      badInput("token", "This verification link is invalid or has expired. Sign in and choose Resend for a new one.");
    const now = new Date();
    const userId = await db.transaction(async (tx) => {
      const link = await verifications.consume(tx, sha256(token), now);
      if (!link) throw invalid();
      const user = await users.findById(tx, link.userId);
      if (!user || user.deletedAt || user.email !== link.email) throw invalid();
      if (!user.emailVerifiedAt) {
        await users.update(tx, user.id, { emailVerifiedAt: now });
        await events.publish(tx, "user.email_verified", { userId: user.id }, { kind: "user", id: user.id });
      }
      return user.id;
    });
    await this.dropCached(userId);
    return { verified: true };
  }

  /**
   * A new address, confirmed with the password: it must be verified again (a link goes to it),
   * and the old address is told, so a stolen session cannot quietly take the account's mail.
   */
  async changeEmail(caller: Caller, input: { newEmail: string; password: string }): Promise<PublicUser> {
    const { db, users, verifications, events } = this.deps;
    const user = await users.findById(db, caller.id);
    if (!user || user.deletedAt) throw unauthorized();
    if (user.passwordHash === null) {
      // An account opened by single sign-on: it confirms with a password once it has set one.
      throw badInput("password", "Your account has no password yet: set one with “Forgot your password?” first");
    }
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      throw badInput("password", "Your password is not correct");
    }
    if (input.newEmail === user.email) throw badInput("newEmail", "This is already your email address");
    await this.spendLink(user.id);
    const taken = () =>
      new DomainError("CONFLICT", "An account with this email already exists.", {
        fieldErrors: { newEmail: ["An account with this email already exists"] },
      });
    const updated = await db
      .transaction(async (tx) => {
        if (await users.findByEmail(tx, input.newEmail)) throw taken();
        const changed = await users.update(tx, user.id, { email: input.newEmail, emailVerifiedAt: null });
        if (!changed) throw notFound("User");
        await verifications.invalidateForUser(tx, user.id, new Date());
        await events.publish(tx, "user.email_changed", { userId: user.id }, { kind: "user", id: user.id });
        const retry = { attempts: 5, backoffMs: 2000 };
        await addJob(tx, "account.verification-mail", { userId: user.id, reason: "email_changed" }, retry);
        await addJob(tx, "account.email-changed-notice", { to: user.email, name: user.name }, retry);
        return changed;
      })
      .catch((error: unknown) => {
        // Two accounts moving to one address at once: the unique index decides.
        if (isUniqueViolation(error)) throw taken();
        throw error;
      });
    await this.dropCached(user.id);
    return toPublicUser(updated);
  }

  /** The job behind the notice to the old address. */
  async sendChangeNotice(to: string, name: string): Promise<void> {
    await this.deps.mailer.send({
      to,
      subject: "Your Gantry email address was changed",
      text: `Hello ${name},\n\nThe email address of your Gantry account was just changed, and this address no longer signs in to it.\n\nIf you did not do this, contact an administrator at once: someone may be using your account.\n`,
    });
  }

  /**
   * REQUIRE_VERIFIED_EMAIL: refuses `feature` to an unverified account with a FORBIDDEN that
   * says what to do. Features the setting does not name are never refused here.
   */
  async requireVerified(caller: Caller, feature: VerifiedEmailFeature): Promise<void> {
    if (!this.deps.requiredFor.includes(feature)) return;
    const user = await this.deps.users.findById(this.deps.db, caller.id);
    if (user?.emailVerifiedAt) return;
    throw new DomainError(
      "FORBIDDEN",
      `Verify your email address before ${FEATURE_TEXT[feature]}: open the link we sent to ${user?.email ?? "your address"}, or choose "Resend verification email" on your profile page to get a new one.`,
    );
  }

  private async spendLink(userId: string): Promise<void> {
    const decision = await this.deps.linksByAccount.consume(userId);
    if (!decision.allowed) throw tooManyAttempts(decision.retryAfterMs, "Too many verification emails");
  }

  private async dropCached(userId: string): Promise<void> {
    await this.deps.cache.invalidate([userTag(userId)]).catch(() => {});
  }
}

const systemActor = { kind: "system", id: "email-verification" } as const;
