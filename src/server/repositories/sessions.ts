import { and, desc, eq, gt, type InferSelectModel, isNull } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { sessions, users } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type SessionRow = InferSelectModel<typeof sessions>;

export class SessionsRepository extends BaseRepository<typeof sessions, "createdAt"> {
  constructor() {
    super(sessions, { createdAt: sessions.createdAt });
  }

  /** The session and its user, for rebuilding the live state when Redis does not have it. */
  async findWithUser(db: Executor, sessionId: string) {
    const rows = await db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sessionId))
      .limit(1);
    return rows[0];
  }

  async listActive(db: Executor, userId: string, now: Date): Promise<SessionRow[]> {
    return db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
      .orderBy(desc(sessions.lastSeenAt));
  }

  /** Revokes every live session of the user; returns the ids revoked. */
  async revokeAllForUser(db: Executor, userId: string, now: Date): Promise<string[]> {
    const rows = await db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    return rows.map((r) => r.id);
  }

  async revoke(db: Executor, sessionId: string, userId: string, now: Date): Promise<boolean> {
    const rows = await db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    return rows.length > 0;
  }
}
