import { Redis } from "ioredis";
import { connecting, withTimeout } from "./startup-error.js";

export type { Redis };

export interface RedisClientOptions {
  /** Shown in CLIENT LIST and in logs, so each connection's purpose is visible. */
  name: string;
  /**
   * BullMQ needs blocking commands that wait for the connection to come back
   * (`maxRetriesPerRequest: null`); caches and rate limits want the opposite:
   * fail fast so the request can fall back instead of hanging.
   */
  purpose: "fail-fast" | "queue";
}

export function createRedisClient(url: string, options: RedisClientOptions): Redis {
  const failFast = options.purpose === "fail-fast";
  return new Redis(url, {
    connectionName: options.name,
    lazyConnect: true,
    maxRetriesPerRequest: failFast ? 1 : null,
    enableOfflineQueue: !failFast,
    connectTimeout: 2000,
    // Keep trying forever with a capped backoff: Redis coming back must heal the app by itself.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}

/** Connects and pings, or fails start-up with one line naming REDIS_URL. */
export async function connectRedis(client: Redis): Promise<void> {
  await connecting("REDIS_URL", "Redis", async () => {
    await withTimeout(client.connect(), 3000, "Redis connection");
    await withTimeout(client.ping(), 2000, "Redis ping");
  });
}
