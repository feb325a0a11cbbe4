import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServiceUrls, uniqueName } from "../../testing/services.js";
import { RedisCacheStore } from "./redis-store.js";
import { describeCacheStoreContract } from "./store.contract.js";

// Every store of this run lives under `run`, so the run cleans up after itself and never
// touches another run's keys.
const run = uniqueName("cache");
let stores = 0;
const makeStore = async (prefix = `${run}:${++stores}:cache:`) => {
  const store = new RedisCacheStore({ url: testServiceUrls.redis, keyPrefix: prefix });
  await store.connect();
  return store;
};

let admin: Redis;
beforeAll(() => {
  admin = new Redis(testServiceUrls.redis);
});
afterAll(async () => {
  const keys = await admin.keys(`${run}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

describeCacheStoreContract("RedisCacheStore", () => makeStore());

describe("RedisCacheStore", () => {
  it("shares entries and invalidations between instances (processes) on one prefix", async () => {
    const prefix = `${run}:shared:cache:`;
    const [api1, api2] = await Promise.all([makeStore(prefix), makeStore(prefix)]);
    try {
      const miss = await api1.get("user:1");
      if (miss.hit) throw new Error("expected a miss");
      await api1.set({ key: "user:1", value: "ann", ttlMs: 60_000, tags: ["user:1"], generation: miss.generation });
      expect(await api2.get("user:1")).toEqual({ hit: true, value: "ann" });
      await api2.invalidateTags(["user:1"]);
      expect((await api1.get("user:1")).hit).toBe(false);
    } finally {
      await Promise.all([api1.close(), api2.close()]);
    }
  });

  it("keeps every key under its prefix, so two prefixes never see each other's entries", async () => {
    const prefixA = `${run}:a:cache:`;
    const [a, b] = await Promise.all([makeStore(prefixA), makeStore(`${run}:b:cache:`)]);
    try {
      await a.set({ key: "k", value: "from a", ttlMs: 60_000, tags: ["t"], generation: 0 });
      expect((await b.get("k")).hit).toBe(false);
      const written = await admin.keys(`${run}:*`).then((keys) => keys.filter((key) => key.includes(":a:")));
      expect(written.length).toBeGreaterThan(0);
      expect(written.every((key) => key.startsWith(prefixA))).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("lets a tag's key set expire with its entries, so unused tags do not pile up", async () => {
    const prefix = `${run}:expiry:cache:`;
    const store = await makeStore(prefix);
    try {
      await store.set({ key: "k", value: "v", ttlMs: 5_000, tags: ["t"], generation: 0 });
      const ttl = await admin.pttl(`${prefix}t:t`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5_000);
    } finally {
      await store.close();
    }
  });
});
