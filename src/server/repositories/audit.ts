import type { InferSelectModel } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { auditLog } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type AuditRow = InferSelectModel<typeof auditLog>;
export type AuditListField = "type" | "actorId" | "occurredAt";

/** The audit log is append-only: entries are inserted once (by event id) and never changed. */
export class AuditRepository extends BaseRepository<typeof auditLog, AuditListField> {
  constructor() {
    super(
      auditLog,
      { type: auditLog.type, actorId: auditLog.actorId, occurredAt: auditLog.occurredAt },
      auditLog.occurredAt,
    );
  }

  /** Idempotent: a redelivered event leaves the one entry it already made. */
  async record(db: Executor, row: Omit<AuditRow, "createdAt">): Promise<void> {
    await db.insert(auditLog).values(row).onConflictDoNothing({ target: auditLog.id });
  }
}
