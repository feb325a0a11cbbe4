import { and, asc, count, eq, type InferSelectModel } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { passkeys, users } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type PasskeyRow = InferSelectModel<typeof passkeys>;

export class PasskeysRepository extends BaseRepository<typeof passkeys, "createdAt"> {
  constructor() {
    super(passkeys, { createdAt: passkeys.createdAt });
  }

  /** Oldest first, so a list keeps its order as passkeys are added. */
  listForUser(db: Executor, userId: string): Promise<PasskeyRow[]> {
    return db
      .select()
      .from(passkeys)
      .where(eq(passkeys.userId, userId))
      .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
  }

  async countForUser(db: Executor, userId: string): Promise<number> {
    const rows = await db.select({ total: count() }).from(passkeys).where(eq(passkeys.userId, userId));
    return Number(rows[0]?.total ?? 0);
  }

  async findByCredentialId(db: Executor, credentialId: string): Promise<PasskeyRow | undefined> {
    const rows = await db.select().from(passkeys).where(eq(passkeys.credentialId, credentialId)).limit(1);
    return rows[0];
  }

  async findOwned(db: Executor, id: string, userId: string): Promise<PasskeyRow | undefined> {
    const rows = await db
      .select()
      .from(passkeys)
      .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
      .limit(1);
    return rows[0];
  }

  /**
   * Holds the owner's row until the transaction ends, so concurrent additions cannot pass the
   * per-user limit together and concurrent removals cannot take away the last way to sign in.
   */
  async lockOwner(db: Executor, userId: string) {
    const rows = await db.select().from(users).where(eq(users.id, userId)).for("update");
    return rows[0];
  }

  /**
   * Records a successful use; only while the counter is still the one verified against, so two
   * concurrent uses of one assertion cannot both pass (the loser gets undefined).
   */
  async recordUse(db: Executor, id: string, fromCounter: number, toCounter: number, now: Date) {
    return this.update(db, id, { counter: toCounter, lastUsedAt: now }, eq(passkeys.counter, fromCounter));
  }

  async deleteOwned(db: Executor, id: string, userId: string): Promise<PasskeyRow | undefined> {
    const rows = await db
      .delete(passkeys)
      .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
      .returning();
    return rows[0];
  }
}
