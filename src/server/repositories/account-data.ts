import { and, asc, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import {
  auditLog,
  datasets,
  outbox,
  passwordResets,
  paymentRefunds,
  payments,
  pipelineRuns,
  pipelines,
  sessions,
  users,
} from "../db/schema/index.js";

/** Ids sort as text; the first page starts below every uuid. */
const BEFORE_ALL = "00000000-0000-0000-0000-000000000000";

/**
 * Everything one account owns, read in bounded pages (keyset on id, so a page costs the same
 * however deep it is) for the data export, and the writes that erase the account's personal
 * data when it is deleted. Rows of other accounts are never read here.
 */
export class AccountDataRepository {
  sessionsPage(db: Executor, userId: string, after: string | undefined, limit: number) {
    return db
      .select({
        id: sessions.id,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        expiresAt: sessions.expiresAt,
        revokedAt: sessions.revokedAt,
        ip: sessions.ip,
        userAgent: sessions.userAgent,
      })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), gt(sessions.id, after ?? BEFORE_ALL)))
      .orderBy(asc(sessions.id))
      .limit(limit);
  }

  paymentsPage(db: Executor, userId: string, after: string | undefined, limit: number) {
    return db
      .select()
      .from(payments)
      .where(and(eq(payments.ownerId, userId), gt(payments.id, after ?? BEFORE_ALL)))
      .orderBy(asc(payments.id))
      .limit(limit);
  }

  /** Refunds of the account's payments (whoever asked for them), and refunds the account asked for. */
  refundsPage(db: Executor, userId: string, after: string | undefined, limit: number) {
    const ownPayments = db.select({ id: payments.id }).from(payments).where(eq(payments.ownerId, userId));
    return db
      .select()
      .from(paymentRefunds)
      .where(
        and(
          sql`(${inArray(paymentRefunds.paymentId, ownPayments)} or ${eq(paymentRefunds.requestedBy, userId)})`,
          gt(paymentRefunds.id, after ?? BEFORE_ALL),
        ),
      )
      .orderBy(asc(paymentRefunds.id))
      .limit(limit);
  }

  datasetsPage(db: Executor, userId: string, after: string | undefined, limit: number) {
    return db
      .select({
        id: datasets.id,
        name: datasets.name,
        status: datasets.status,
        source: datasets.source,
        columns: datasets.columns,
        rowCount: datasets.rowCount,
        sizeBytes: datasets.sizeBytes,
        error: datasets.error,
        createdAt: datasets.createdAt,
        updatedAt: datasets.updatedAt,
      })
      .from(datasets)
      .where(and(eq(datasets.ownerId, userId), gt(datasets.id, after ?? BEFORE_ALL)))
      .orderBy(asc(datasets.id))
      .limit(limit);
  }

  pipelinesPage(db: Executor, userId: string, after: string | undefined, limit: number) {
    return db
      .select({
        id: pipelines.id,
        name: pipelines.name,
        datasetId: pipelines.datasetId,
        steps: pipelines.steps,
        scheduleCron: pipelines.scheduleCron,
        createdAt: pipelines.createdAt,
        updatedAt: pipelines.updatedAt,
      })
      .from(pipelines)
      .where(and(eq(pipelines.ownerId, userId), gt(pipelines.id, after ?? BEFORE_ALL)))
      .orderBy(asc(pipelines.id))
      .limit(limit);
  }

  runsPage(db: Executor, userId: string, after: string | undefined, limit: number) {
    return db
      .select({
        id: pipelineRuns.id,
        pipelineId: pipelineRuns.pipelineId,
        trigger: pipelineRuns.trigger,
        status: pipelineRuns.status,
        inputDatasetId: pipelineRuns.inputDatasetId,
        outputDatasetId: pipelineRuns.outputDatasetId,
        outputRows: pipelineRuns.outputRows,
        error: pipelineRuns.error,
        createdAt: pipelineRuns.createdAt,
        finishedAt: pipelineRuns.finishedAt,
      })
      .from(pipelineRuns)
      .where(and(eq(pipelineRuns.ownerId, userId), gt(pipelineRuns.id, after ?? BEFORE_ALL)))
      .orderBy(asc(pipelineRuns.id))
      .limit(limit);
  }

  /** Ids of the account's data sets and pipelines, for the deletion job. */
  async ownedDatasetIds(db: Executor, userId: string): Promise<string[]> {
    const rows = await db.select({ id: datasets.id }).from(datasets).where(eq(datasets.ownerId, userId));
    return rows.map((r) => r.id);
  }

  async ownedPipelineIds(db: Executor, userId: string): Promise<string[]> {
    const rows = await db.select({ id: pipelines.id }).from(pipelines).where(eq(pipelines.ownerId, userId));
    return rows.map((r) => r.id);
  }

  /**
   * The administrators who are not deleted, locked until the transaction ends, so two
   * administrators deleting each other at once cannot leave none.
   */
  async lockLiveAdmins(db: Executor): Promise<string[]> {
    const rows = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, "admin"), isNull(users.deletedAt)))
      .for("update");
    return rows.map((r) => r.id);
  }

  /** The account row, locked for the deletion's transaction. */
  async lockUser(db: Executor, userId: string) {
    const rows = await db.select().from(users).where(eq(users.id, userId)).for("update");
    return rows[0];
  }

  /** Where and with what the account signed in is personal data too: kept rows lose it. */
  async eraseSessionDetails(db: Executor, userId: string): Promise<void> {
    await db.update(sessions).set({ ip: null, userAgent: null }).where(eq(sessions.userId, userId));
  }

  async deleteResetLinks(db: Executor, userId: string): Promise<void> {
    await db.delete(passwordResets).where(eq(passwordResets.userId, userId));
  }

  /**
   * The one change ever made to recorded events: an `email` field naming the deleted account's
   * address becomes its pseudonym, in the audit log and in the outbox's copies. Entries, ids,
   * types, actors and times stay as they were.
   */
  async redactEmail(db: Executor, email: string, pseudonym: string): Promise<number> {
    const audited = await db
      .update(auditLog)
      .set({ payload: sql`jsonb_set(${auditLog.payload}, '{email}', to_jsonb(${pseudonym}::text))` })
      .where(and(sql`${auditLog.payload}->>'email' = ${email}`, ne(auditLog.type, "account.deleted")))
      .returning({ id: auditLog.id });
    await db
      .update(outbox)
      .set({ envelope: sql`jsonb_set(${outbox.envelope}, '{payload,email}', to_jsonb(${pseudonym}::text))` })
      .where(sql`${outbox.envelope}->'payload'->>'email' = ${email}`);
    return audited.length;
  }
}
