import type { EventBus } from "../../core/events/index.js";
import type { Mailer } from "../../core/mail/mailer.js";
import type { JobQueue } from "../../core/queue/port.js";
import type { RateLimiter } from "../../core/rate-limit.js";
import type { Database } from "../../db/database.js";
import type { PasswordResetsRepository } from "../../repositories/password-resets.js";
import type { SessionsRepository } from "../../repositories/sessions.js";
import type { UsersRepository } from "../../repositories/users.js";
import { hashPassword, randomToken, sha256 } from "../../utils/crypto.js";
import { badInput } from "../errors.js";
import { anonymous, nextWholeSecond, userActor } from "./auth-result.js";
import { passwordProblem } from "./password-policy.js";
import type { SessionService } from "./sessions.js";

declare module "../../core/queue/port.js" {
  interface JobPayloads {
    /**
     * Issues a reset token and mails it, if the email has an account. Queued for every request,
     * known email or not, so the request answers in the same time either way.
     */
    "auth.password-reset-mail": { email: string };
  }
}

const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;

export interface PasswordResetDeps {
  db: Database;
  users: UsersRepository;
  resets: PasswordResetsRepository;
  sessionsRepository: SessionsRepository;
  sessions: SessionService;
  events: EventBus;
  mailer: Mailer;
  queue: JobQueue;
  resetRequestsByEmail: RateLimiter;
  publicUrl: string;
}

/** A forgotten password: a mailed link, then a new password for whoever holds the link. */
export class PasswordReset {
  constructor(private readonly deps: PasswordResetDeps) {}

  /**
   * Always answers the same way and in the same time, whether or not the email has an
   * account: the lookup and the mail happen in a job.
   */
  async request(email: string): Promise<void> {
    // A few links per address per hour: beyond that a flood would bury the inbox and keep
    // voiding the link the owner is about to use. The answer does not change.
    const decision = await this.deps.resetRequestsByEmail.consume(email);
    if (!decision.allowed) return;
    await this.deps.queue.enqueue("auth.password-reset-mail", { email }, { attempts: 5, backoffMs: 2000 });
  }

  /** The job behind `request`; a mail that cannot be sent fails the job, which retries. */
  async send(email: string): Promise<void> {
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

  async reset(input: { token: string; newPassword: string }): Promise<void> {
    const { db, users, resets, sessionsRepository, events, sessions } = this.deps;
    const invalid = () => badInput("token", "This reset link is invalid or has expired. Ask for a new one.");
    const passwordHash = await hashPassword(input.newPassword);
    const now = nextWholeSecond();
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
}
