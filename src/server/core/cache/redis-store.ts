import { createHash } from "node:crypto";
import { withTimeout } from "../../utils/startup-error.js";
import { connectRedis, createRedisClient, type Redis } from "../redis.js";
import { type CacheLogger, FailureLog } from "./failure-log.js";
import { type CacheLookup, type CacheStore, type CacheWrite, INVALIDATION_MEMORY_MS } from "./store.js";

export interface RedisCacheStoreOptions {
  url: string;
  /** Every key lives under it (e.g. `${namespace}:cache:`), so apps and test runs never collide. */
  keyPrefix: string;
  /** Longest any one Redis call may hold a request before the cache gives up on it. */
  timeoutMs?: number;
  /** The client's own deadline per reply and silence watchdog (see redis.ts); REDIS_COMMAND_TIMEOUT_MS. */
  commandTimeoutMs?: number;
  connectionName?: string;
  logger?: CacheLogger;
}

/*
 * Key layout under the prefix:
 *   e:<key>   the entry (a string with a PX expiry)
 *   t:<tag>   a set of the entry keys carrying the tag; expires with its longest-lived entry
 *   ti:<tag>  the generation at which the tag was last invalidated (remembered for a while)
 *   gen       the invalidation generation counter
 *
 * Invalidation deletes the entries listed in the tag's set, so it holds for every instance at
 * once and nothing stale can come back later; sets cannot grow without bound because each one
 * expires with its entries. Writes and invalidations are Lua scripts, so a write either lands
 * before an invalidation (and is deleted by it) or sees `ti:<tag>` and is dropped.
 * The scripts touch keys they do not declare (the entries of a set), so this store targets a
 * single Redis (or a primary with replicas), not Redis Cluster.
 */
interface LuaScript {
  source: string;
  sha1: string;
}

function script(source: string): LuaScript {
  return { source, sha1: createHash("sha1").update(source).digest("hex") };
}

const SET_SCRIPT = script(`
local generation = tonumber(ARGV[3])
for i = 2, #KEYS, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > generation then return 0 end
end
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
for i = 3, #KEYS, 2 do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
`);

const INVALIDATE_SCRIPT = script(`
local generation = redis.call('INCR', KEYS[1])
for i = 2, #KEYS, 2 do
  redis.call('SET', KEYS[i], generation, 'PX', ARGV[1])
  local members = redis.call('SMEMBERS', KEYS[i + 1])
  for j = 1, #members, 500 do
    redis.call('DEL', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('DEL', KEYS[i + 1])
end
return generation
`);

export class RedisCacheStore implements CacheStore {
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly failures: FailureLog;

  constructor(options: RedisCacheStoreOptions) {
    this.client = createRedisClient(options.url, {
      name: options.connectionName ?? "gantry-cache",
      purpose: "fail-fast",
      commandTimeoutMs: options.commandTimeoutMs,
    });
    this.prefix = options.keyPrefix;
    this.timeoutMs = options.timeoutMs ?? 200;
    this.failures = new FailureLog(options.logger);
    // Without a listener ioredis prints every reconnect failure to stderr; the cache copes by itself.
    this.client.on("error", (error: unknown) => this.failures.warn("cache redis connection error", error));
  }

  /**
   * Connects and pings, or rejects with a StartupError naming REDIS_URL. Call it once, before
   * first use (start-up or tests); a store never connected connects on first use, see `call`.
   */
  async connect(): Promise<void> {
    await connectRedis(this.client);
  }

  async get(key: string): Promise<CacheLookup> {
    const [value, generation] = await this.call("get", () => this.client.mget(this.entryKey(key), this.genKey()));
    return typeof value === "string" ? { hit: true, value } : { hit: false, generation: Number(generation ?? 0) };
  }

  async set({ key, value, ttlMs, tags, generation }: CacheWrite): Promise<boolean> {
    const keys = [this.entryKey(key), ...[...new Set(tags)].flatMap((tag) => this.tagKeys(tag))];
    const args = [value, String(Math.max(1, Math.round(ttlMs))), String(generation)];
    const written = await this.call("set", () => this.run(SET_SCRIPT, keys, args));
    return written === 1;
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    const keys = [this.genKey(), ...[...new Set(tags)].flatMap((tag) => this.tagKeys(tag))];
    await this.call("invalidate", () => this.run(INVALIDATE_SCRIPT, keys, [String(INVALIDATION_MEMORY_MS)]));
  }

  async ping(): Promise<void> {
    await this.call("ping", () => this.client.ping());
  }

  async close(): Promise<void> {
    try {
      await withTimeout(this.client.quit(), this.timeoutMs, "cache redis quit");
    } catch {
      this.client.disconnect();
    }
  }

  /** Bounds every call, so a slow or unreachable Redis costs a request at most `timeoutMs`. */
  private call<T>(what: string, operation: () => Promise<T>): Promise<T> {
    // A store nobody connected still heals itself: ioredis then reconnects forever on its own.
    if (this.client.status === "wait") this.client.connect().catch(() => {});
    return withTimeout(operation(), this.timeoutMs, `cache redis ${what}`);
  }

  private async run(lua: LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    try {
      return await this.client.evalsha(lua.sha1, keys.length, ...keys, ...args);
    } catch (error) {
      // First use on this Redis (or after SCRIPT FLUSH): send the source once, Redis keeps it.
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await this.client.eval(lua.source, keys.length, ...keys, ...args);
    }
  }

  private entryKey(key: string): string {
    return `${this.prefix}e:${key}`;
  }

  private genKey(): string {
    return `${this.prefix}gen`;
  }

  /** [invalidated-at key, members key] for one tag, in the order the scripts expect. */
  private tagKeys(tag: string): [string, string] {
    return [`${this.prefix}ti:${tag}`, `${this.prefix}t:${tag}`];
  }
}
