import { and, eq, type InferSelectModel, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { twoFactorCredentials } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type TwoFactorCredentialRow = InferSelectModel<typeof twoFactorCredentials>;

export class TwoFactorCredentialsRepository extends BaseRepository<typeof twoFactorCredentials, "createdAt"> {
  constructor() {
    super(twoFactorCredentials, { createdAt: twoFactorCredentials.createdAt });
  }

  async findByUser(db: Executor, userId: string): Promise<TwoFactorCredentialRow | undefined> {
    const rows = await db.select().from(twoFactorCredentials).where(eq(twoFactorCredentials.userId, userId)).limit(1);
    return rows[0];
  }

  /**
   * Starts (or restarts) an enrolment with a new secret, unless one is already confirmed:
   * returns false then, and the confirmed secret stays as it is.
   */
  async startEnrolment(db: Executor, userId: string, secretCiphertext: string): Promise<boolean> {
    const rows = await db
      .insert(twoFactorCredentials)
      .values({ userId, secretCiphertext })
      .onConflictDoUpdate({
        target: twoFactorCredentials.userId,
        set: { secretCiphertext, lastUsedStep: null, updatedAt: new Date() },
        setWhere: isNull(twoFactorCredentials.confirmedAt),
      })
      .returning({ id: twoFactorCredentials.id });
    return rows.length > 0;
  }

  /**
   * Records that the code of `step` was accepted, if no code of that step or a later one was
   * before: one statement, so two requests with the same code cannot both pass. `confirm`
   * also marks a pending enrolment as confirmed; otherwise only a confirmed one is used.
   */
  async spendStep(
    db: Executor,
    userId: string,
    step: number,
    options: { confirm: Date } | { confirm?: undefined } = {},
  ): Promise<boolean> {
    const unused = or(isNull(twoFactorCredentials.lastUsedStep), lt(twoFactorCredentials.lastUsedStep, step));
    const state = options.confirm
      ? isNull(twoFactorCredentials.confirmedAt)
      : isNotNull(twoFactorCredentials.confirmedAt);
    const rows = await db
      .update(twoFactorCredentials)
      .set({ lastUsedStep: step, ...(options.confirm ? { confirmedAt: options.confirm } : {}) })
      .where(and(eq(twoFactorCredentials.userId, userId), state, unused))
      .returning({ id: twoFactorCredentials.id });
    return rows.length > 0;
  }

  async deleteForUser(db: Executor, userId: string): Promise<boolean> {
    const rows = await db
      .delete(twoFactorCredentials)
      .where(eq(twoFactorCredentials.userId, userId))
      .returning({ id: twoFactorCredentials.id });
    return rows.length > 0;
  }
}
