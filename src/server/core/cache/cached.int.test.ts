import { connect, createServer, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { recordingLogger, sleep } from "../../testing/cache.js";
import { testServiceUrls, uniqueName } from "../../testing/services.js";
import { TcpProxy, viaProxy } from "../../testing/tcp-proxy.js";
import { Cache } from "./cached.js";
import { RedisCacheStore } from "./redis-store.js";

const run = uniqueName("cachefo");
const redisUrl = new URL(testServiceUrls.redis);
const redisHost = redisUrl.hostname;
const redisPort = Number(redisUrl.port || 6379);

/** The users table a cached read stands in front of; counts reads so tests see cache hits. */
function usersTable() {
  const rows = new Map([
    ["u1", { id: "u1", name: "Ann", createdAt: new Date("2024-01-02T03:04:05.678Z") }],
    ["u2", { id: "u2", name: "Bob", createdAt: new Date("2024-02-03T04:05:06.789Z") }],
  ]);
  const table = {
    reads: 0,
    rows,
    byId: async (id: string) => {
      table.reads += 1;
      const row = rows.get(id);
      return row ? { ...row } : undefined;
    },
  };
  return table;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedAt = performance.now();
  const value = await work();
  return { value, ms: performance.now() - startedAt };
}

/** Polls until the store answers again: ioredis reconnects on its own, with backoff. */
async function untilHealthy(store: RedisCacheStore): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await store.ping();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

/**
 * Forwards to Redis, but `stall()` holds every byte (both ways) until `resume()`: a Redis that
 * is up yet not answering. Bytes are delayed, never dropped, as with a real slow server.
 */
class StallingProxy {
  private server: Server | undefined;
  private stalled = false;
  private readonly held: Array<() => void> = [];

  async start(): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(redisPort, redisHost);
      this.forward(client, upstream);
      this.forward(upstream, client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      for (const socket of [client, upstream]) socket.on("error", close).on("close", close);
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("proxy has no port");
    return address.port;
  }

  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
    for (const release of this.held.splice(0)) release();
  }

  async stop(): Promise<void> {
    this.resume();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private forward(from: Socket, to: Socket): void {
    from.on("data", (chunk: Buffer) => {
      if (this.stalled) this.held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  }
}

let admin: Redis;
const cleanups: Array<() => Promise<void>> = [];
beforeAll(() => {
  admin = new Redis(testServiceUrls.redis);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  const keys = await admin.keys(`${run}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

/** A Cache on Redis reached through `url`, with the users read wrapped as a service would. */
function cachedUsers(url: string, options: { connect?: boolean } = {}) {
  const logger = recordingLogger();
  const store = new RedisCacheStore({ url, keyPrefix: `${run}:${uniqueName("s")}:cache:`, logger });
  const cache = new Cache(store, { logger });
  cleanups.push(() => cache.close());
  const users = usersTable();
  const userById = cache.wrap(users.byId, { name: "users.byId", ttlMs: 60_000, tags: ([id]) => [`user:${id}`] });
  const ready = options.connect === false ? Promise.resolve() : store.connect();
  return { store, cache, users, userById, logger, ready };
}

describe("cached reads when Redis is unreachable", () => {
  it("answer from the database, quickly, and cache again once Redis is back", async () => {
    const proxy = new TcpProxy(redisHost, redisPort);
    const port = await proxy.start();
    cleanups.push(() => proxy.stop());
    const { store, cache, users, userById, logger, ready } = cachedUsers(viaProxy(testServiceUrls.redis, port));
    await ready;

    await userById("u1");
    expect((await userById("u1"))?.name).toBe("Ann");
    expect(users.reads).toBe(1); // the second read came from Redis

    proxy.cut();
    users.rows.set("u1", { id: "u1", name: "Ann Renamed", createdAt: new Date() });
    const during = await timed(() => userById("u1"));
    expect(during.value?.name).toBe("Ann Renamed");
    expect(during.value?.createdAt).toBeInstanceOf(Date);
    expect(during.ms).toBeLessThan(1000);
    expect((await userById("u2"))?.name).toBe("Bob");
    expect(users.reads).toBe(3);
    expect(logger.warnings).toContain("cache read failed; answering from the source");
    // The mutation's invalidation cannot land; its caller (the outbox consumer) is told, and retries.
    await expect(cache.invalidate("user:u1")).rejects.toThrow();

    proxy.restore();
    await untilHealthy(store);
    await cache.invalidate("user:u1");
    expect((await userById("u1"))?.name).toBe("Ann Renamed");
    expect((await userById("u1"))?.name).toBe("Ann Renamed");
    expect(users.reads).toBe(4); // cached again
  });

  it("answer from the database when Redis was down from the start, and heal when it comes up", async () => {
    const proxy = new TcpProxy(redisHost, redisPort);
    const port = await proxy.start();
    cleanups.push(() => proxy.stop());
    proxy.cut();
    const { store, users, userById } = cachedUsers(viaProxy(testServiceUrls.redis, port), { connect: false });

    const cold = await timed(() => userById("u1"));
    expect(cold.value?.name).toBe("Ann");
    expect(cold.ms).toBeLessThan(1000);
    expect((await userById("u1"))?.name).toBe("Ann");
    expect(users.reads).toBe(2);

    proxy.restore();
    await untilHealthy(store);
    await userById("u1");
    await userById("u1");
    expect(users.reads).toBe(3);
  });
});

describe("cached reads when Redis is slow", () => {
  it("give up on Redis after its timeout and answer from the database", async () => {
    const proxy = new StallingProxy();
    const port = await proxy.start();
    cleanups.push(() => proxy.stop());
    const { store, users, userById, logger, ready } = cachedUsers(viaProxy(testServiceUrls.redis, port));
    await ready;
    await userById("u1");

    proxy.stall();
    const cachedKey = await timed(() => userById("u1"));
    const coldKey = await timed(() => userById("u2"));
    expect(cachedKey.value?.name).toBe("Ann");
    expect(coldKey.value?.name).toBe("Bob");
    expect(cachedKey.ms).toBeLessThan(1000);
    expect(coldKey.ms).toBeLessThan(1000);
    expect(users.reads).toBe(3);
    expect(logger.warnings).toContain("cache read failed; answering from the source");

    proxy.resume();
    await untilHealthy(store);
    expect((await userById("u1"))?.name).toBe("Ann");
    expect(users.reads).toBe(3); // answered by Redis again
  });
});
