import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/database.js";
import type { SessionRow, SessionsRepository } from "../../repositories/sessions.js";
import type { UserRow } from "../../repositories/users.js";
import { LIVE_SESSION_TTL_MS, type LiveSession, MemoryLiveSessionStore } from "./live-sessions.js";
import { SessionService } from "./sessions.js";

/**
 * A live copy that nobody managed to drop (an instance cut off from Redis alone revoked the
 * session) is believed for LIVE_SESSION_TTL_MS at most: after that PostgreSQL decides.
 */

const userId = "00000000-0000-4000-8000-000000000001";
const sessionId = "00000000-0000-4000-8000-0000000000aa";
const t0 = Date.UTC(2026, 0, 1, 12);

const copy: LiveSession = {
  userId,
  role: "admin",
  disabled: false,
  revoked: false,
  expiresAt: t0 + 24 * 3600_000,
  passwordChangedAt: 0,
  seenAt: t0,
  loadedAt: t0,
};

/** PostgreSQL's answer: this session was revoked. */
const revokedInDatabase = {
  findWithUser: async () => ({
    session: {
      id: sessionId,
      userId,
      expiresAt: new Date(copy.expiresAt),
      lastSeenAt: new Date(t0),
      revokedAt: new Date(t0 + 1000),
    },
    user: { id: userId, role: "admin", disabledAt: null, passwordChangedAt: new Date(0) },
  }),
  update: async () => undefined,
} as unknown as SessionsRepository & { findWithUser(): Promise<{ session: SessionRow; user: UserRow }> };

async function serviceWithStaleCopy() {
  const store = new MemoryLiveSessionStore();
  const service = new SessionService({} as Database, revokedInDatabase, store, pino({ level: "silent" }));
  await new Promise((resolve) => setTimeout(resolve, 10)); // the start-up purge
  await store.set(sessionId, copy, 24 * 3600_000);
  return service;
}

const claims = { userId, sessionId, issuedAt: new Date(t0), expiresAt: new Date(copy.expiresAt) };

describe("a live copy that missed a revocation", () => {
  it("is believed only within its time", async () => {
    const service = await serviceWithStaleCopy();
    await expect(service.resolve(claims, new Date(t0 + 5_000))).resolves.toMatchObject({ id: userId });
    await expect(service.resolve(claims, new Date(t0 + LIVE_SESSION_TTL_MS + 1))).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
