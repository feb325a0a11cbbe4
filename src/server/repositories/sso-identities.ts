import { and, asc, count, eq, type InferSelectModel } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { ssoIdentities, users } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type SsoIdentityRow = InferSelectModel<typeof ssoIdentities>;

/** (issuer, subject) -> account: the identities at OpenID Connect providers that sign in as a user. */
export class SsoIdentitiesRepository extends BaseRepository<typeof ssoIdentities, "createdAt"> {
  constructor() {
    super(ssoIdentities, { createdAt: ssoIdentities.createdAt });
  }

  async find(db: Executor, issuer: string, subject: string): Promise<SsoIdentityRow | undefined> {
    const rows = await db
      .select()
      .from(ssoIdentities)
      .where(and(eq(ssoIdentities.issuer, issuer), eq(ssoIdentities.subject, subject)))
      .limit(1);
    return rows[0];
  }

  async listForUser(db: Executor, userId: string): Promise<SsoIdentityRow[]> {
    return db
      .select()
      .from(ssoIdentities)
      .where(eq(ssoIdentities.userId, userId))
      .orderBy(asc(ssoIdentities.createdAt));
  }

  async countForUser(db: Executor, userId: string): Promise<number> {
    const rows = await db.select({ n: count() }).from(ssoIdentities).where(eq(ssoIdentities.userId, userId));
    return Number(rows[0]?.n ?? 0);
  }

  /** Locks the account row for the rest of the transaction, so its sign-in methods change one at a time. */
  async lockOwner(db: Executor, userId: string): Promise<InferSelectModel<typeof users> | undefined> {
    const rows = await db.select().from(users).where(eq(users.id, userId)).for("update");
    return rows[0];
  }

  /** Removes the user's identity; undefined when it is not theirs (or already gone). */
  async deleteForUser(db: Executor, userId: string, id: string): Promise<SsoIdentityRow | undefined> {
    const rows = await db
      .delete(ssoIdentities)
      .where(and(eq(ssoIdentities.id, id), eq(ssoIdentities.userId, userId)))
      .returning();
    return rows[0];
  }
}
