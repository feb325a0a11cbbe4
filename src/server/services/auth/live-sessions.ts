import type { Role } from "../../../shared/permissions.js";
import type { Redis } from "../../core/redis.js";

/** What a request needs to know about its session, kept where every instance can read it fast. */
export interface LiveSession {
  userId: string;
  role: Role;
  disabled: boolean;
  revoked: boolean;
  /** Epoch milliseconds. */
  expiresAt: number;
  passwordChangedAt: number;
  /** When lastSeenAt was last written to PostgreSQL (throttles those writes). */
  seenAt: number;
  /** When this copy was read from PostgreSQL (epoch ms); see LIVE_SESSION_TTL_MS. */
  loadedAt: number;
}

/**
 * How long a live copy is believed after it was read from PostgreSQL. Short, so a revocation
 * the live store missed (a drop that failed, an instance cut off from Redis alone) is stale
 * for seconds, not for the token's 24 hours; refilling costs one indexed read per session
 * per this period.
 */
export const LIVE_SESSION_TTL_MS = 30_000;

/**
 * The live copy of session state: Redis in services mode (shared by all instances), a Map
 * when embedded. It is a copy: PostgreSQL holds the truth and refills it on a miss.
 */
export interface LiveSessionStore {
  get(sessionId: string): Promise<LiveSession | undefined>;
  /**
   * The Redis key of a session's copy, so a caller can read it in a trip it makes anyway (the
   * rate limit's, see `RateLimiter.consumeAlong`); undefined for a store that is not Redis.
   */
  redisKey(sessionId: string): string | undefined;
  /** A copy as read raw from `redisKey`. */
  parse(raw: string | null): LiveSession | undefined;
  set(sessionId: string, session: LiveSession, ttlMs: number): Promise<void>;
  /** Writes only over an existing copy, so a refresh never resurrects one that was just dropped. */
  refresh(sessionId: string, session: LiveSession, ttlMs: number): Promise<void>;
  delete(sessionIds: string[]): Promise<void>;
  /** Drops every live copy: after the store may have missed a write, none can be believed. */
  purge(): Promise<void>;
  /**
   * `lost` whenever the store may miss writes (its connection dropped: whatever was deleted
   * meanwhile was not), `closed` once it is shut down for good.
   */
  watch(listener: { lost(): void; closed(): void }): void;
}

export class RedisLiveSessionStore implements LiveSessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(sessionId: string): Promise<LiveSession | undefined> {
    return this.parse(await this.redis.get(this.key(sessionId)));
  }

  redisKey(sessionId: string): string {
    return this.key(sessionId);
  }

  parse(raw: string | null): LiveSession | undefined {
    return raw ? (JSON.parse(raw) as LiveSession) : undefined;
  }

  async set(sessionId: string, session: LiveSession, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(sessionId), JSON.stringify(session), "PX", Math.max(1, Math.round(ttlMs)));
  }

  async refresh(sessionId: string, session: LiveSession, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(sessionId), JSON.stringify(session), "PX", Math.max(1, Math.round(ttlMs)), "XX");
  }

  async delete(sessionIds: string[]): Promise<void> {
    if (sessionIds.length > 0) await this.redis.del(...sessionIds.map((id) => this.key(id)));
  }

  async purge(): Promise<void> {
    const pattern = `${this.prefix}:session:*`;
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      if (keys.length > 0) await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  }

  watch(listener: { lost(): void; closed(): void }): void {
    this.redis.on("close", () => listener.lost());
    this.redis.on("end", () => listener.closed());
  }

  private key(sessionId: string): string {
    return `${this.prefix}:session:${sessionId}`;
  }
}

export class MemoryLiveSessionStore implements LiveSessionStore {
  private readonly entries = new Map<string, { session: LiveSession; until: number }>();

  async get(sessionId: string): Promise<LiveSession | undefined> {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (entry.until <= Date.now()) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry.session;
  }

  redisKey(): undefined {
    return undefined;
  }

  parse(): undefined {
    return undefined;
  }

  async set(sessionId: string, session: LiveSession, ttlMs: number): Promise<void> {
    this.entries.set(sessionId, { session, until: Date.now() + ttlMs });
  }

  async refresh(sessionId: string, session: LiveSession, ttlMs: number): Promise<void> {
    if (await this.get(sessionId)) await this.set(sessionId, session, ttlMs);
  }

  async delete(sessionIds: string[]): Promise<void> {
    for (const id of sessionIds) this.entries.delete(id);
  }

  async purge(): Promise<void> {
    this.entries.clear();
  }

  /** In-process: it never misses a write. */
  watch(): void {}
}
