import type { Caller } from "../../../shared/ownership.js";
import type { Cache } from "../../core/cache/index.js";
import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import { addJob } from "../../core/queue/job-outbox.js";
import type { Database } from "../../db/database.js";
import type { AccountDataRepository } from "../../repositories/account-data.js";
import type { EmailVerificationsRepository } from "../../repositories/email-verifications.js";
import type { PipelinesRepository } from "../../repositories/pipelines.js";
import type { SessionsRepository } from "../../repositories/sessions.js";
import type { UsersRepository } from "../../repositories/users.js";
import { hashPassword, randomToken, verifyPassword } from "../../utils/crypto.js";
import { nextWholeSecond } from "../auth/auth-result.js";
import type { SessionService } from "../auth/sessions.js";
import { badInput, DomainError, notFound, unauthorized } from "../errors.js";
import type { Pipelines } from "../pipelines/module.js";
import { userTag } from "../users/users-service.js";
import { erasedEmailFor, pseudonymFor } from "./pseudonym.js";

declare module "../../core/queue/port.js" {
  interface JobPayloads {
    /** Drops a deleted account's pipelines, data sets and their tables. */
    "account.purge-data": { userId: string };
  }
}

export interface AccountDeletionDeps {
  db: Database;
  users: UsersRepository;
  sessionsRepository: SessionsRepository;
  sessions: SessionService;
  verifications: EmailVerificationsRepository;
  accountData: AccountDataRepository;
  pipelinesRepository: PipelinesRepository;
  pipelines: Pipelines;
  events: EventBus;
  cache: Cache;
  logger: Logger;
}

/**
 * Leaving: one transaction ends every session (revoked in PostgreSQL, so the very next call is
 * refused), erases email and name (the row stays under a pseudonym: payments, refunds and the
 * ledger point at it and must stay balanced), redacts the address from recorded events, and
 * queues the job that drops the account's data sets, their tables and its pipelines.
 */
export class AccountDeletion {
  constructor(private readonly deps: AccountDeletionDeps) {}

  /** The signed-in user leaves, confirming with their password. */
  async deleteOwn(caller: Caller, password: string): Promise<{ pseudonym: string }> {
    await this.confirmPassword(caller.id, password);
    return this.erase(caller.id, caller.id, "self");
  }

  /** An administrator deletes an account, confirming with their own password. */
  async deleteUser(admin: Caller, userId: string, adminPassword: string): Promise<{ pseudonym: string }> {
    await this.confirmPassword(admin.id, adminPassword);
    return this.erase(userId, admin.id, admin.id === userId ? "self" : "admin");
  }

  private async confirmPassword(userId: string, password: string): Promise<void> {
    const user = await this.deps.users.findById(this.deps.db, userId);
    if (!user || user.deletedAt) throw unauthorized();
    if (user.passwordHash === null) {
      // An account opened by single sign-on: it confirms with a password once it has set one.
      throw badInput("password", "Your account has no password yet: set one with “Forgot your password?” first");
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      throw badInput("password", "Your password is not correct");
    }
  }

  private async erase(userId: string, actorId: string, by: "self" | "admin"): Promise<{ pseudonym: string }> {
    const { db, users, sessionsRepository, verifications, accountData, events, sessions } = this.deps;
    const pseudonym = pseudonymFor(userId);
    // Nobody knows this password: the erased row can never sign in, whatever its email.
    const unusableHash = await hashPassword(randomToken());
    const now = nextWholeSecond();
    const revoked = await db.transaction(async (tx) => {
      // Administrators first, always in one order, then the account: two administrators
      // deleting each other wait for one another instead of both leaving none.
      const admins = await accountData.lockLiveAdmins(tx);
      const user = await accountData.lockUser(tx, userId);
      if (!user || user.deletedAt) throw notFound("User");
      if (user.role === "admin" && admins.filter((id) => id !== user.id).length === 0) {
        throw new DomainError(
          "CONFLICT",
          "This is the last administrator account. Make another account an administrator first.",
        );
      }
      const ids = await sessionsRepository.revokeAllForUser(tx, user.id, now);
      await accountData.eraseSessionDetails(tx, user.id);
      await accountData.deleteResetLinks(tx, user.id);
      await verifications.deleteForUser(tx, user.id);
      await users.update(tx, user.id, {
        email: erasedEmailFor(user.id),
        name: pseudonym,
        passwordHash: unusableHash,
        passwordChangedAt: now,
        disabledAt: user.disabledAt ?? now,
        emailVerifiedAt: null,
        deletedAt: now,
      });
      await accountData.redactEmail(tx, user.email, pseudonym);
      await events.publish(
        tx,
        "account.deleted",
        { userId: user.id, pseudonym, by, revokedSessionIds: ids },
        { kind: "user", id: actorId },
      );
      await addJob(
        tx,
        "account.purge-data",
        { userId: user.id },
        { idempotencyKey: user.id, attempts: 20, backoffMs: 5000 },
      );
      return ids;
    });
    await Promise.all([sessions.forget(revoked), this.deps.cache.invalidate([userTag(userId)]).catch(() => {})]);
    return { pseudonym };
  }

  /**
   * The job: drops the account's pipelines, then its data sets and their tables, through the
   * same use cases a user's own delete goes through (acting as the owner, so every rule and
   * event is the usual one). A pipeline run or import still going makes the job fail and retry
   * later; a data set another account's pipeline reads is kept (that pipeline would break) and
   * named in `account.data_purged`.
   */
  async purge(userId: string): Promise<{ datasets: number; pipelines: number; keptDatasetIds: string[] }> {
    const { db, accountData, pipelinesRepository, pipelines, events } = this.deps;
    const user = await this.deps.users.findById(db, userId);
    if (!user?.deletedAt) return { datasets: 0, pipelines: 0, keptDatasetIds: [] };
    const owner: Caller = { id: userId, role: "user" };
    let pipelineCount = 0;
    for (const id of await accountData.ownedPipelineIds(db, userId)) {
      if (await ignoreNotFound(pipelines.definitions.delete(owner, id))) pipelineCount += 1;
    }
    let datasetCount = 0;
    const kept: string[] = [];
    for (const id of await accountData.ownedDatasetIds(db, userId)) {
      // Own pipelines are gone, so whoever still reads this data set is another account.
      if ((await pipelinesRepository.usingDataset(db, id)).length > 0) {
        kept.push(id);
        continue;
      }
      if (await ignoreNotFound(pipelines.datasets.delete(owner, id))) datasetCount += 1;
    }
    await db.transaction((tx) =>
      events.publish(
        tx,
        "account.data_purged",
        { userId, datasets: datasetCount, pipelines: pipelineCount, keptDatasetIds: kept },
        { kind: "system", id: "account-purge" },
      ),
    );
    if (kept.length > 0) {
      this.deps.logger.warn({ userId, kept }, "deleted account's data sets kept: other accounts' pipelines read them");
    }
    return { datasets: datasetCount, pipelines: pipelineCount, keptDatasetIds: kept };
  }
}

/** True when the delete happened; false when the row was already gone (a retried job). */
async function ignoreNotFound(deletion: Promise<unknown>): Promise<boolean> {
  try {
    await deletion;
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.code === "NOT_FOUND") return false;
    throw error;
  }
}
