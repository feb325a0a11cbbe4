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
}

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
  const base = {
    points: options.points,
    duration: options.durationSeconds,
    keyPrefix: `${options.namespace}:rl:${options.name}`,
  };
  const memory = new RateLimiterMemory(base);
  const limiter = options.redis
    ? new RateLimiterRedis({
        ...base,
        storeClient: options.redis,
        insuranceLimiter: memory,
        useRedisPackage: false,
        // Not connected (reconnecting after an outage): straight to memory, no waiting.
        rejectIfRedisNotReady: true,
      })
    : memory;

  return {
    async consume(key, points = 1) {
      try {
        await limiter.consume(key, points);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: rejection.msBeforeNext };
        throw rejection;
      }
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
