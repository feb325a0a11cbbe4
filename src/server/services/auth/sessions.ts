import type { Caller } from "../../../shared/ownership.js";
import type { SessionInfo } from "../../../shared/schemas/auth.js";
import type { Logger } from "../../core/logger.js";
import type { AlongRead } from "../../core/rate-limit.js";
import type { Database, Executor } from "../../db/database.js";
import type { SessionRow, SessionsRepository } from "../../repositories/sessions.js";
import type { UserRow } from "../../repositories/users.js";
import { DomainError, unauthorized } from "../errors.js";
import { LIVE_SESSION_TTL_MS, type LiveSession, type LiveSessionStore } from "./live-sessions.js";
import { LiveTrust } from "./live-trust.js";
import { type AccessClaims, TOKEN_TTL_MS } from "./tokens.js";

/** The caller as their session check found them, with the session their token names (for logout). */
export interface SessionCaller extends Caller {
  sessionId: string;
}

/** Where a live copy can be read along another Redis command, and the trust it was read under. */
export interface LiveRead {
  key: string;
  losses: number;
}

/** What that read found, with the trust it was read under. */
export interface Prefetched {
  read: AlongRead;
  losses: number;
}

/** How often a session's lastSeenAt is written back to PostgreSQL at most. */
const SEEN_WRITE_INTERVAL_MS = 60_000;

/**
 * Sessions: PostgreSQL is the durable record, the live store (Redis) the fast copy.
 * Every request checks its session here, so logout, revocation, role changes and disabling
 * take effect on the very next request on every instance. The check fails closed: if
 * neither store can answer, the request is refused.
 *
 * A revocation committed in PostgreSQL always wins over the copy: a copy is believed for
 * LIVE_SESSION_TTL_MS at most, and not at all while the store may have missed a write
 * (see LiveTrust).
 */
export class SessionService {
  private readonly trust: LiveTrust;

  constructor(
    private readonly db: Database,
    private readonly repository: SessionsRepository,
    private readonly live: LiveSessionStore,
    private readonly logger: Logger,
  ) {
    this.trust = new LiveTrust(live, logger);
  }

  async create(
    tx: Executor,
    user: UserRow,
    meta: { ip?: string | undefined; userAgent?: string | undefined },
    now: Date,
  ) {
    return this.repository.insert(tx, {
      userId: user.id,
      expiresAt: new Date(now.getTime() + TOKEN_TTL_MS),
      lastSeenAt: now,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    });
  }

  /**
   * Turns verified token claims into the caller, or refuses with UNAUTHORIZED. `prefetched` is
   * the live copy as read in a trip made anyway (at `liveRead`'s key), instead of a GET here.
   */
  async resolve(claims: AccessClaims, now = new Date(), prefetched?: Prefetched): Promise<SessionCaller> {
    let session = await this.believedCopy(claims.sessionId, now, prefetched);
    if (!session) session = await this.loadFromDatabase(claims.sessionId, now);
    if (!session) throw ended();

    const valid =
      session.userId === claims.userId &&
      !session.revoked &&
      !session.disabled &&
      session.expiresAt > now.getTime() &&
      // Tokens carry whole seconds; one issued before the password changed is void.
      claims.issuedAt.getTime() >= Math.floor(session.passwordChangedAt / 1000) * 1000;
    if (!valid) throw ended();

    if (now.getTime() - session.seenAt > SEEN_WRITE_INTERVAL_MS) this.touch(claims.sessionId, session, now);
    return { id: session.userId, role: session.role, sessionId: claims.sessionId };
  }

  /**
   * Drops the live copies so the next request re-reads PostgreSQL; rejects if the store cannot,
   * and then this process believes no copy until the store has been purged.
   */
  async dropLive(sessionIds: string[]): Promise<void> {
    try {
      await this.live.delete(sessionIds);
    } catch (error) {
      this.trust.lost();
      throw error;
    }
  }

  /** Active session ids of a user, from the durable record. */
  async activeIds(tx: Executor, userId: string): Promise<string[]> {
    return (await this.repository.listActive(tx, userId, new Date())).map((s) => s.id);
  }

  /** `dropLive` for request paths: never throws; the session-sync consumer retries after the fact. */
  async forget(sessionIds: string[]): Promise<void> {
    await this.dropLive(sessionIds).catch((error: unknown) => {
      this.logger.warn(
        { err: error, count: sessionIds.length },
        "could not drop live sessions; the sync consumer will retry",
      );
    });
  }

  async listForUser(userId: string, currentSessionId: string | undefined, now = new Date()): Promise<SessionInfo[]> {
    const rows = await this.repository.listActive(this.db, userId, now);
    return rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      expiresAt: row.expiresAt,
      ip: row.ip,
      userAgent: row.userAgent,
      current: row.id === currentSessionId,
    }));
  }

  private async loadFromDatabase(sessionId: string, now: Date): Promise<LiveSession | undefined> {
    let found: { session: SessionRow; user: UserRow } | undefined;
    try {
      found = await this.repository.findWithUser(this.db, sessionId);
    } catch (error) {
      this.logger.error({ err: error }, "session check impossible: database unavailable");
      throw new DomainError("SERVICE_UNAVAILABLE", "We cannot verify your session right now. Please try again.");
    }
    if (!found) return undefined;
    const session = toLive(found.session, found.user, now);
    const ttl = Math.min(LIVE_SESSION_TTL_MS, session.expiresAt - now.getTime());
    // While the store is not believed, a copy written now would be purged anyway.
    if (ttl > 0 && !session.revoked && !session.disabled && this.trust.ok) {
      await this.live.set(sessionId, session, ttl).catch(() => {});
    }
    return session;
  }

  /**
   * Where to read a session's live copy in a trip to Redis made anyway (see `resolve`), or
   * undefined when there is no such key or no copy may be believed now.
   */
  liveRead(sessionId: string): LiveRead | undefined {
    if (!this.trust.ok) return undefined;
    const key = this.live.redisKey(sessionId);
    return key === undefined ? undefined : { key, losses: this.trust.losses };
  }

  /** The live copy, if this process may believe it and it is recent enough. */
  private async believedCopy(sessionId: string, now: Date, prefetched?: Prefetched): Promise<LiveSession | undefined> {
    let session: LiveSession | undefined;
    if (prefetched) {
      session = this.prefetchedCopy(prefetched.read);
      // Believed only if the store was believed when the read went out and nothing was lost since.
      if (!this.trust.ok || this.trust.losses !== prefetched.losses) return undefined;
    } else {
      if (!this.trust.ok) return undefined;
      session = await this.live.get(sessionId).catch((error: unknown) => this.readFailed(error));
    }
    // Copies written before this rule (or by a writer that extended one) never outlive it.
    if (!session || !(now.getTime() - session.loadedAt < LIVE_SESSION_TTL_MS)) return undefined;
    return session;
  }

  private prefetchedCopy(read: AlongRead): LiveSession | undefined {
    if ("failed" in read) return this.readFailed(read.failed);
    try {
      return this.live.parse(read.value);
    } catch (error) {
      return this.readFailed(error);
    }
  }

  private readFailed(error: unknown): undefined {
    this.logger.warn({ err: error }, "live session store unavailable; checking the database");
    // A read that failed may mean writes failed too.
    this.trust.lost();
    return undefined;
  }

  private touch(sessionId: string, session: LiveSession, now: Date): void {
    const refreshed = { ...session, seenAt: now.getTime() };
    // Never extends the copy's life: it stays as old as the PostgreSQL read it came from.
    const ttl = Math.min(session.loadedAt + LIVE_SESSION_TTL_MS, session.expiresAt) - now.getTime();
    void Promise.all([
      this.repository.update(this.db, sessionId, { lastSeenAt: now }),
      ttl > 0 && this.trust.ok ? this.live.refresh(sessionId, refreshed, ttl) : undefined,
    ]).catch((error: unknown) => this.logger.debug({ err: error }, "could not record session activity"));
  }
}

function toLive(session: SessionRow, user: UserRow, now: Date): LiveSession {
  return {
    userId: user.id,
    role: user.role,
    disabled: user.disabledAt !== null,
    revoked: session.revokedAt !== null,
    expiresAt: session.expiresAt.getTime(),
    passwordChangedAt: user.passwordChangedAt.getTime(),
    seenAt: Math.max(session.lastSeenAt.getTime(), now.getTime() - SEEN_WRITE_INTERVAL_MS + 5_000),
    loadedAt: now.getTime(),
  };
}

const ended = () => unauthorized("Your session has ended. Please sign in again.");
