import { Redis } from "ioredis";
import { connecting, withTimeout } from "../utils/startup-error.js";

export type { Redis };

/** Used when a caller names no deadline (tests, scripts); the app passes REDIS_COMMAND_TIMEOUT_MS. */
const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 500;

export interface RedisClientOptions {
  /** Shown in CLIENT LIST and in logs, so each connection's purpose is visible. */
  name: string;
  /**
   * BullMQ needs blocking commands that wait for the connection to come back
   * (`maxRetriesPerRequest: null`); caches and rate limits want the opposite:
   * fail fast so the request can fall back instead of hanging.
   */
  purpose: "fail-fast" | "queue";
  /**
   * Longest a Redis reply may take. Fail-fast clients reject every command after it; every
   * client uses it for the silence watchdog (see `reconnectWhenSilent`).
   */
  commandTimeoutMs?: number;
}

export function createRedisClient(url: string, options: RedisClientOptions): Redis {
  const failFast = options.purpose === "fail-fast";
  const timeoutMs = options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
  const client = new Redis(url, {
    connectionName: options.name,
    lazyConnect: true,
    // Fail-fast: one try, no queueing while disconnected, and a deadline on every reply, so a
    // Redis that went silent costs a request at most `timeoutMs`. Not for the queue's
    // connections: a timeout there would break BullMQ's blocking reads (they time themselves).
    maxRetriesPerRequest: failFast ? 0 : null,
    enableOfflineQueue: !failFast,
    ...(failFast ? { commandTimeout: timeoutMs } : {}),
    // The OS notices a dead peer eventually; the watchdog below notices a silent one sooner.
    keepAlive: 10_000,
    connectTimeout: 2000,
    // Keep trying forever with a capped backoff: Redis coming back must heal the app by itself.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  reconnectWhenSilent(client, timeoutMs);
  return client;
}

const HANDSHAKE_LIMIT_MS = 5000;

/**
 * A connection whose peer stops answering without closing it (a partition, a wedged server)
 * stays "ready" for ioredis until TCP gives up, minutes later; every command on it waits or
 * times out. This pings each connection that says it is ready and, when pings get no answer
 * within the deadline twice in a row, drops the socket so ioredis reconnects: meanwhile
 * commands fail at once (fail-fast) or wait in the offline queue (queue) instead of piling up
 * on a dead socket. A handshake that does not complete within HANDSHAKE_LIMIT_MS (the new
 * socket is just as silent) is dropped the same way (a Redis that is still loading its data
 * set is merely reconnected to a few times: harmless).
 */
function reconnectWhenSilent(client: Redis, timeoutMs: number): void {
  const intervalMs = Math.max(1000, timeoutMs * 2);
  const handshakeLimit = Math.ceil(HANDSHAKE_LIMIT_MS / intervalMs);
  let handshakeTicks = 0;
  let missedPings = 0;
  let checking = false;
  const tick = async () => {
    if (checking) return;
    if (client.status === "connect") {
      handshakeTicks += 1;
      if (handshakeTicks >= handshakeLimit) {
        handshakeTicks = 0;
        dropSocket(client);
      }
      return;
    }
    handshakeTicks = 0;
    if (client.status !== "ready") {
      missedPings = 0;
      return;
    }
    checking = true;
    try {
      await withTimeout(client.ping(), timeoutMs, "redis ping");
      missedPings = 0;
    } catch {
      // Two in a row, so a busy event loop (the reply read late) does not drop a healthy link.
      missedPings += 1;
      if (missedPings >= 2 && client.status === "ready") dropSocket(client);
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  client.once("end", () => clearInterval(timer));
}

function dropSocket(client: Redis): void {
  // `disconnect(true)` ends the socket politely, which never completes on a silent link;
  // destroying it closes at once and ioredis's own reconnect (retryStrategy) takes over.
  client.stream?.destroy();
}

/** Connects and pings, or fails start-up with one line naming REDIS_URL. */
export async function connectRedis(client: Redis): Promise<void> {
  await connecting("REDIS_URL", "Redis", async () => {
    await withTimeout(client.connect(), 3000, "Redis connection");
    await withTimeout(client.ping(), 2000, "Redis ping");
  });
}
