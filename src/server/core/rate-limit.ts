import type { ClientContext, Result } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Redis } from "./redis.js";

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface RateLimiter {
  /** Spends `points` for `key`; says whether the caller is still within its budget. */
  consume(key: string, points?: number): Promise<RateLimitDecision>;
  /** Gives one spent point back (an attempt that turned out fine). */
  refund(key: string): Promise<void>;
  /** Forgets a key (e.g. failed-login counter after a successful login). */
  reset(key: string): Promise<void>;
  /**
   * `consume(key)` and a Redis GET of `readKey` in one round trip (one Lua script): a signed-in
   * call spends its budget and reads its live session at once. `read` is what the GET found, or
   * `{ failed }` when the trip failed (the decision then comes from memory, as `consume`'s does),
   * or undefined when there was no Redis to ask (embedded, or not connected): read it yourself.
   */
  consumeAlong(key: string, readKey: string): Promise<{ decision: RateLimitDecision; read?: AlongRead | undefined }>;
}

/** What `consumeAlong` found at its `readKey`. */
export type AlongRead = { value: string | null } | { failed: unknown };

export interface RateLimiterOptions {
  /** Distinguishes limiters sharing one store, e.g. "api" or "login:account". */
  name: string;
  points: number;
  durationSeconds: number;
  /** Shared by every instance when given; in-process memory otherwise (embedded mode). */
  redis?: Redis | undefined;
  namespace: string;
}

/**
 * rate-limiter-flexible on Redis, with an in-memory "insurance" limiter that takes over
 * while Redis is unreachable or silent: limits stay enforced per process instead of failing
 * open (login guessing would get unlimited tries during an outage) or refusing everyone (an
 * outage of a cache would become an outage of the app). A silent Redis costs one request the
 * client's command deadline; once the connection is dropped (see redis.ts), calls go to memory
 * at once.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const redis = options.redis;
  const base = {
    points: options.points,
    duration: options.durationSeconds,
    keyPrefix: `${options.namespace}:rl:${options.name}`,
  };
  const memory = new RateLimiterMemory(base);
  const limiter = redis
    ? new RateLimiterRedis({
        ...base,
        storeClient: redis,
        insuranceLimiter: memory,
        useRedisPackage: false,
        // Not connected (reconnecting after an outage): straight to memory, no waiting.
        rejectIfRedisNotReady: true,
      })
    : memory;

  const consume = async (key: string, points = 1): Promise<RateLimitDecision> => {
    try {
      await limiter.consume(key, points);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: rejection.msBeforeNext };
      throw rejection;
    }
  };
  if (redis) defineSpendAndGet(redis);

  return {
    consume,
    async consumeAlong(key, readKey) {
      // As rate-limiter-flexible does with `rejectIfRedisNotReady`: not connected, straight to memory.
      if (redis?.status !== "ready") return { decision: await consume(key) };
      let reply: [number, number, string | null];
      try {
        reply = await redis.gantrySpendAndGet(limiter.getKey(key), readKey, "1", String(options.durationSeconds));
      } catch (error) {
        // What rate-limiter-flexible does when Redis fails a consume: its in-memory insurance decides.
        return { decision: await decisionOf(memory, key), read: { failed: error } };
      }
      const [consumed, ttlMs, value] = reply;
      const decision: RateLimitDecision =
        Number(consumed) > options.points ? { allowed: false, retryAfterMs: Number(ttlMs) } : { allowed: true };
      return { decision, read: { value } };
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

async function decisionOf(limiter: RateLimiterMemory, key: string): Promise<RateLimitDecision> {
  try {
    await limiter.consume(key, 1);
    return { allowed: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: rejection.msBeforeNext };
    throw rejection;
  }
}

/**
 * rate-limiter-flexible's own increment script (same key, same counting, same expiry), then a
 * GET of a second key, all in one EVALSHA. The two keys may sit in different slots, so like the
 * cache's scripts this targets a single Redis (or a primary with replicas), not Redis Cluster.
 */
const SPEND_AND_GET = `
redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('expire', KEYS[1], ARGV[2])
  ttl = 1000 * ARGV[2]
end
return {consumed, ttl, redis.call('get', KEYS[2])}
`;

declare module "ioredis" {
  interface RedisCommander<Context extends ClientContext = { type: "default" }> {
    gantrySpendAndGet(
      spendKey: string,
      readKey: string,
      points: string,
      durationSeconds: string,
    ): Result<[number, number, string | null], Context>;
  }
}

/** ioredis sends it by SHA once Redis knows it, and its source once when Redis does not. */
function defineSpendAndGet(redis: Redis): void {
  if (typeof redis.gantrySpendAndGet !== "function") {
    redis.defineCommand("gantrySpendAndGet", { numberOfKeys: 2, lua: SPEND_AND_GET });
  }
}
