import { and, eq, gt, type InferSelectModel, lt } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { webauthnChallenges } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type WebauthnChallengeRow = InferSelectModel<typeof webauthnChallenges>;
export type ChallengePurpose = WebauthnChallengeRow["purpose"];

export class WebauthnChallengesRepository extends BaseRepository<typeof webauthnChallenges, "createdAt"> {
  constructor() {
    super(webauthnChallenges, { createdAt: webauthnChallenges.createdAt });
  }

  /**
   * Takes an unexpired challenge out of the table and returns it, in one statement: a second
   * use of the same challenge finds nothing, however close together the two arrive.
   */
  async consume(
    db: Executor,
    challengeHash: string,
    purpose: ChallengePurpose,
    now: Date,
    /** For a registration: only the session that asked for the challenge may use it. */
    owner?: { userId: string; sessionId: string },
  ): Promise<WebauthnChallengeRow | undefined> {
    const rows = await db
      .delete(webauthnChallenges)
      .where(
        and(
          eq(webauthnChallenges.challengeHash, challengeHash),
          eq(webauthnChallenges.purpose, purpose),
          gt(webauthnChallenges.expiresAt, now),
          owner ? eq(webauthnChallenges.userId, owner.userId) : undefined,
          owner ? eq(webauthnChallenges.sessionId, owner.sessionId) : undefined,
        ),
      )
      .returning();
    return rows[0];
  }

  /** A session has one registration under way at most: a new one replaces the old. */
  async dropForSession(db: Executor, sessionId: string): Promise<void> {
    await db.delete(webauthnChallenges).where(eq(webauthnChallenges.sessionId, sessionId));
  }

  /** Challenges nobody answered in time; their number is bounded by the ceremonies' rate limits. */
  async dropExpired(db: Executor, now: Date): Promise<void> {
    await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, now));
  }
}
