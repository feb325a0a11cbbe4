import { describe, expect, it } from "vitest";
import { deferred, recordingLogger, sleep } from "../../testing/cache.js";
import { Cache } from "./cached.js";
import { MemoryCacheStore } from "./memory-store.js";
import type { CacheStore } from "./store.js";

interface User {
  id: string;
  name: string;
  createdAt: Date;
}

/** A stand-in database that counts how often it is read. */
function usersTable() {
  const rows = new Map<string, User>([
    ["u1", { id: "u1", name: "Ann", createdAt: new Date("2024-01-02T03:04:05.678Z") }],
    ["u2", { id: "u2", name: "Bob", createdAt: new Date("2024-02-03T04:05:06.789Z") }],
  ]);
  const table = {
    reads: 0,
    rows,
    byId: async (id: string): Promise<User | undefined> => {
      table.reads += 1;
      const row = rows.get(id);
      return row ? { ...row } : undefined;
    },
  };
  return table;
}

function setup() {
  const logger = recordingLogger();
  const cache = new Cache(new MemoryCacheStore(), { logger });
  const users = usersTable();
  const userById = cache.wrap(users.byId, {
    name: "users.byId",
    ttlMs: 60_000,
    tags: ([id]) => [`user:${id}`],
  });
  return { cache, users, userById, logger };
}

describe("cache.wrap", () => {
  it("answers a repeated read from the cache, and other arguments from the source", async () => {
    const { users, userById } = setup();
    const first = await userById("u1");
    expect(await userById("u1")).toEqual(first);
    expect(users.reads).toBe(1);
    expect((await userById("u2"))?.name).toBe("Bob");
    expect(users.reads).toBe(2);
  });

  it("computes a cold key once for 50 concurrent callers", async () => {
    const cache = new Cache(new MemoryCacheStore());
    const gate = deferred<string>();
    let calls = 0;
    const slow = cache.wrap(
      async (id: string) => {
        calls += 1;
        return `${await gate.promise}:${id}`;
      },
      { name: "slow", ttlMs: 60_000 },
    );
    const pending = Array.from({ length: 50 }, () => slow("a"));
    const other = slow("b");
    gate.resolve("value");
    expect(await Promise.all(pending)).toEqual(Array(50).fill("value:a"));
    expect(await other).toBe("value:b");
    expect(calls).toBe(2);
  });

  it("shares a failure with the callers waiting on it, and does not cache it", async () => {
    const cache = new Cache(new MemoryCacheStore());
    let calls = 0;
    const flaky = cache.wrap(
      async () => {
        calls += 1;
        await sleep(10);
        if (calls === 1) throw new Error("database hiccup");
        return "ok";
      },
      { name: "flaky", ttlMs: 60_000 },
    );
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => flaky()));
    expect(results.every((r) => r.status === "rejected" && String(r.reason).includes("database hiccup"))).toBe(true);
    expect(await flaky()).toBe("ok");
    expect(calls).toBe(2);
  });

  it("reads the source again once the TTL has passed", async () => {
    const cache = new Cache(new MemoryCacheStore());
    const users = usersTable();
    const userById = cache.wrap(users.byId, { name: "users.byId", ttlMs: 60 });
    await userById("u1");
    users.rows.set("u1", { id: "u1", name: "Ann Renamed", createdAt: new Date() });
    expect((await userById("u1"))?.name).toBe("Ann");
    await sleep(200);
    expect((await userById("u1"))?.name).toBe("Ann Renamed");
    expect(users.reads).toBe(2);
  });

  it("shows a mutation's result once its tag is invalidated, leaving other entries cached", async () => {
    const { cache, users, userById } = setup();
    await userById("u1");
    await userById("u2");
    users.rows.set("u1", { id: "u1", name: "Ann Renamed", createdAt: new Date() });
    await cache.invalidate("user:u1");
    expect((await userById("u1"))?.name).toBe("Ann Renamed");
    expect((await userById("u2"))?.name).toBe("Bob");
    expect(users.reads).toBe(3);
  });

  it("does not cache a read that raced a mutation's invalidation", async () => {
    const { cache, users } = setup();
    const gate = deferred<void>();
    const userById = cache.wrap(
      async (id: string) => {
        const row = await users.byId(id); // reads the old row...
        await gate.promise; // ...and is slow to return it
        return row;
      },
      { name: "users.byId.slow", ttlMs: 60_000, tags: ["users"] },
    );
    const racing = userById("u1");
    await sleep(5);
    users.rows.set("u1", { id: "u1", name: "Ann Renamed", createdAt: new Date() });
    await cache.invalidate(["users"]);
    gate.resolve();
    expect((await racing)?.name).toBe("Ann"); // that caller asked before the change
    expect((await userById("u1"))?.name).toBe("Ann Renamed");
  });

  it("returns cached values with their types intact (superjson)", async () => {
    const cache = new Cache(new MemoryCacheStore());
    let calls = 0;
    const make = () => ({
      at: new Date("2024-05-06T07:08:09.010Z"),
      big: 12345678901234567890n,
      tags: new Set(["a", "b"]),
      byId: new Map([["x", { n: 1 }]]),
      missing: undefined,
      nothing: null,
      nested: [{ when: new Date(0) }],
    });
    const report = cache.wrap(
      async () => {
        calls += 1;
        return make();
      },
      { name: "report", ttlMs: 60_000 },
    );
    await report();
    const fromCache = await report();
    expect(calls).toBe(1);
    expect(fromCache).toEqual(make());
    expect(fromCache.at).toBeInstanceOf(Date);
    expect(fromCache.nested[0]?.when.getTime()).toBe(0);
    expect("missing" in fromCache).toBe(true);
  });

  it("caches 'not found' (undefined) like any other answer", async () => {
    const { users, userById } = setup();
    expect(await userById("nobody")).toBeUndefined();
    expect(await userById("nobody")).toBeUndefined();
    expect(users.reads).toBe(1);
  });

  it("hands each caller its own copy: mutating a result cannot corrupt the cache", async () => {
    const { userById } = setup();
    const first = await userById("u1");
    if (first) first.name = "scribbled";
    expect((await userById("u1"))?.name).toBe("Ann");
  });

  it("keys by argument value, not by object identity or key order", async () => {
    const cache = new Cache(new MemoryCacheStore());
    let calls = 0;
    const search = cache.wrap(
      async (filter: { role?: string; page: number }) => {
        calls += 1;
        return `${filter.role}:${filter.page}`;
      },
      { name: "users.search", ttlMs: 60_000 },
    );
    await search({ role: "admin", page: 1 });
    await search({ page: 1, role: "admin" });
    expect(calls).toBe(1);
    await search({ page: 2, role: "admin" });
    expect(calls).toBe(2);
  });

  it("uses a custom key when given one", async () => {
    const cache = new Cache(new MemoryCacheStore());
    let calls = 0;
    const load = cache.wrap(
      async (request: { id: string; traceId: string }) => {
        calls += 1;
        return request.id;
      },
      { name: "load", ttlMs: 60_000, key: (request) => request.id },
    );
    await load({ id: "a", traceId: "t1" });
    await load({ id: "a", traceId: "t2" });
    expect(calls).toBe(1);
  });

  it("calls the source every time, and says why, for arguments it cannot key", async () => {
    const logger = recordingLogger();
    const cache = new Cache(new MemoryCacheStore(), { logger });
    let calls = 0;
    const run = cache.wrap(
      async (callback: () => number) => {
        calls += 1;
        return callback();
      },
      { name: "run", ttlMs: 60_000 },
    );
    expect(await run(() => 7)).toBe(7);
    expect(await run(() => 8)).toBe(8);
    expect(calls).toBe(2);
    expect(logger.warnings).toEqual(["cache bypassed for run: pass a `key` option"]);
  });

  it("rejects bad options when wrapping, not on first call", () => {
    const cache = new Cache(new MemoryCacheStore());
    const fn = async () => 1;
    expect(() => cache.wrap(fn, { name: "", ttlMs: 1000 })).toThrow(/name/);
    expect(() => cache.wrap(fn, { name: "x", ttlMs: 0 })).toThrow(/ttlMs/);
  });
});

describe("cache.wrap over a failing store (fail-open)", () => {
  const broken = (overrides: Partial<CacheStore>): CacheStore => ({
    get: async () => ({ hit: false, generation: 0 }),
    set: async () => true,
    invalidateTags: async () => {},
    ping: async () => {},
    close: async () => {},
    ...overrides,
  });

  it("answers from the source when reads fail, warning once rather than per request", async () => {
    const logger = recordingLogger();
    const cache = new Cache(broken({ get: () => Promise.reject(new Error("ECONNREFUSED")) }), { logger });
    const users = usersTable();
    const userById = cache.wrap(users.byId, { name: "users.byId", ttlMs: 60_000 });
    for (let i = 0; i < 5; i++) expect((await userById("u1"))?.name).toBe("Ann");
    expect(users.reads).toBe(5);
    expect(logger.warnings).toEqual(["cache read failed; answering from the source"]);
  });

  it("answers from the source when writes fail", async () => {
    const logger = recordingLogger();
    const cache = new Cache(broken({ set: () => Promise.reject(new Error("OOM command not allowed")) }), { logger });
    const userById = cache.wrap(usersTable().byId, { name: "users.byId", ttlMs: 60_000 });
    expect((await userById("u2"))?.name).toBe("Bob");
    expect(logger.warnings).toEqual(["cache write failed"]);
  });

  it("answers from the source when an entry cannot be decoded", async () => {
    const logger = recordingLogger();
    const cache = new Cache(broken({ get: async () => ({ hit: true, value: "not superjson{" }) }), { logger });
    const userById = cache.wrap(usersTable().byId, { name: "users.byId", ttlMs: 60_000 });
    expect((await userById("u1"))?.name).toBe("Ann");
    expect(logger.warnings).toEqual(["cache entry unreadable; answering from the source"]);
  });

  it("reports a failed invalidation to the caller, who must retry it", async () => {
    const cache = new Cache(broken({ invalidateTags: () => Promise.reject(new Error("ECONNREFUSED")) }));
    await expect(cache.invalidate("user:u1")).rejects.toThrow("ECONNREFUSED");
  });
});
