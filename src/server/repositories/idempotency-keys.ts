import { and, eq, type InferInsertModel, type InferSelectModel, lt, lte } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { idempotencyKeys } from "../db/schema/index.js";

export type IdempotencyKeyRow = InferSelectModel<typeof idempotencyKeys>;
export type NewIdempotencyKey = Omit<InferInsertModel<typeof idempotencyKeys>, "id" | "createdAt">;

export class IdempotencyKeysRepository {
  /** Inserts the key unless it exists; the unique index decides between concurrent first requests. */
  async insertIfAbsent(db: Executor, row: NewIdempotencyKey): Promise<IdempotencyKeyRow | undefined> {
    const rows = await db.insert(idempotencyKeys).values(row).onConflictDoNothing().returning();
    return rows[0];
  }

  async find(db: Executor, scope: string, userId: string, key: string): Promise<IdempotencyKeyRow | undefined> {
    const rows = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)))
      .limit(1);
    return rows[0];
  }

  async findById(db: Executor, id: string): Promise<IdempotencyKeyRow | undefined> {
    const rows = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.id, id)).limit(1);
    return rows[0];
  }

  /** Takes over a request whose lease ran out (its process died); only one caller wins. */
  async takeOver(db: Executor, id: string, now: Date, lockedUntil: Date): Promise<IdempotencyKeyRow | undefined> {
    const rows = await db
      .update(idempotencyKeys)
      .set({ lockedUntil })
      .where(
        and(
          eq(idempotencyKeys.id, id),
          eq(idempotencyKeys.status, "in_progress"),
          lte(idempotencyKeys.lockedUntil, now),
        ),
      )
      .returning();
    return rows[0];
  }

  async attachResource(db: Executor, id: string, resourceId: string): Promise<void> {
    await db.update(idempotencyKeys).set({ resourceId }).where(eq(idempotencyKeys.id, id));
  }

  async complete(db: Executor, id: string, response: unknown, now: Date): Promise<void> {
    await db
      .update(idempotencyKeys)
      .set({ status: "completed", response, completedAt: now })
      .where(eq(idempotencyKeys.id, id));
  }

  /** Lets the next request with this key resume at once instead of waiting for the lease. */
  async releaseLease(db: Executor, id: string, now: Date): Promise<void> {
    await db
      .update(idempotencyKeys)
      .set({ lockedUntil: now })
      .where(and(eq(idempotencyKeys.id, id), eq(idempotencyKeys.status, "in_progress")));
  }

  /** Forgets a key whose request wrote nothing (it was refused), so the key is free again. */
  async remove(db: Executor, id: string): Promise<void> {
    await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.id, id), eq(idempotencyKeys.status, "in_progress")));
  }

  /** Deletes keys past their retention; returns how many. */
  async purgeExpired(db: Executor, now: Date): Promise<number> {
    const rows = await db
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.expiresAt, now))
      .returning({ id: idempotencyKeys.id });
    return rows.length;
  }
}
