import { and, eq, gt, type InferSelectModel, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { twoFactorChallenges } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type TwoFactorChallengeRow = InferSelectModel<typeof twoFactorChallenges>;

export class TwoFactorChallengesRepository extends BaseRepository<typeof twoFactorChallenges, "createdAt"> {
  constructor() {
    super(twoFactorChallenges, { createdAt: twoFactorChallenges.createdAt });
  }

  /** An unused, unexpired challenge with fewer than `maxFailures` wrong codes. */
  async findLive(
    db: Executor,
    tokenHash: string,
    now: Date,
    maxFailures: number,
  ): Promise<TwoFactorChallengeRow | undefined> {
    const rows = await db
      .select()
      .from(twoFactorChallenges)
      .where(
        and(
          eq(twoFactorChallenges.tokenHash, tokenHash),
          isNull(twoFactorChallenges.usedAt),
          gt(twoFactorChallenges.expiresAt, now),
          lt(twoFactorChallenges.failedAttempts, maxFailures),
        ),
      )
      .limit(1);
    return rows[0];
  }

  /** Marks the challenge used, in one statement, so it completes one sign-in only. */
  async consume(db: Executor, id: string, now: Date): Promise<boolean> {
    const rows = await db
      .update(twoFactorChallenges)
      .set({ usedAt: now })
      .where(and(eq(twoFactorChallenges.id, id), isNull(twoFactorChallenges.usedAt)))
      .returning({ id: twoFactorChallenges.id });
    return rows.length > 0;
  }

  async recordFailure(db: Executor, id: string): Promise<void> {
    await db
      .update(twoFactorChallenges)
      .set({ failedAttempts: sql`${twoFactorChallenges.failedAttempts} + 1` })
      .where(eq(twoFactorChallenges.id, id));
  }

  /** A user's used and expired challenges are of no further use: dropped when a new one is made. */
  async deleteSpentForUser(db: Executor, userId: string, now: Date): Promise<void> {
    await db
      .delete(twoFactorChallenges)
      .where(
        and(
          eq(twoFactorChallenges.userId, userId),
          or(lte(twoFactorChallenges.expiresAt, now), sql`${twoFactorChallenges.usedAt} is not null`),
        ),
      );
  }
}
