import { afterEach, describe, expect, it } from "vitest";
import type { CacheLookup, CacheStore } from "./store.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves the generation a read-through would carry from its miss to its write. */
async function missGeneration(store: CacheStore, key: string): Promise<number> {
  const found = await store.get(key);
  if (found.hit) throw new Error(`expected a miss for ${key}`);
  return found.generation;
}

/** Writes as a read-through would: after observing the miss. */
async function put(store: CacheStore, key: string, value: string, tags: readonly string[] = [], ttlMs = 60_000) {
  const generation = await missGeneration(store, key);
  return store.set({ key, value, ttlMs, tags, generation });
}

const hit = (value: string): CacheLookup => ({ hit: true, value });

/** The behaviour every CacheStore adapter must share; run by each adapter's test file. */
export function describeCacheStoreContract(name: string, makeStore: () => Promise<CacheStore>): void {
  describe(`${name} (cache store contract)`, () => {
    const opened: CacheStore[] = [];
    const open = async () => {
      const store = await makeStore();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it("misses an unknown key, then returns exactly what was stored", async () => {
      const store = await open();
      expect((await store.get("greeting")).hit).toBe(false);
      expect(await put(store, "greeting", 'héllo "wörld" ✓')).toBe(true);
      expect(await store.get("greeting")).toEqual(hit('héllo "wörld" ✓'));
      expect((await store.get("other")).hit).toBe(false);
    });

    it("forgets an entry once its TTL has passed", async () => {
      const store = await open();
      await put(store, "short", "s", [], 80);
      await put(store, "long", "l", [], 60_000);
      expect(await store.get("short")).toEqual(hit("s"));
      await sleep(250);
      expect((await store.get("short")).hit).toBe(false);
      expect(await store.get("long")).toEqual(hit("l"));
    });

    it("invalidating a tag drops every entry carrying it and nothing else", async () => {
      const store = await open();
      await put(store, "user:1", "ann", ["user:1", "users"]);
      await put(store, "user:2", "bob", ["user:2", "users"]);
      await put(store, "list", "[ann,bob]", ["users"]);
      await put(store, "plan:1", "gold", ["plan:1"]);
      await store.invalidateTags(["user:1"]);
      expect((await store.get("user:1")).hit).toBe(false);
      expect(await store.get("user:2")).toEqual(hit("bob"));
      expect(await store.get("list")).toEqual(hit("[ann,bob]"));
      await store.invalidateTags(["users", "never-used"]);
      expect((await store.get("user:2")).hit).toBe(false);
      expect((await store.get("list")).hit).toBe(false);
      expect(await store.get("plan:1")).toEqual(hit("gold"));
    });

    it("caches again after an invalidation", async () => {
      const store = await open();
      await put(store, "user:1", "ann", ["user:1"]);
      await store.invalidateTags(["user:1"]);
      expect(await put(store, "user:1", "ann v2", ["user:1"])).toBe(true);
      expect(await store.get("user:1")).toEqual(hit("ann v2"));
    });

    it("drops a write computed before an invalidation of one of its tags (stale read race)", async () => {
      const store = await open();
      const generation = await missGeneration(store, "user:1");
      // ...the source is read here; meanwhile a mutation commits and invalidates...
      await store.invalidateTags(["user:1"]);
      expect(await store.set({ key: "user:1", value: "stale", ttlMs: 60_000, tags: ["user:1"], generation })).toBe(
        false,
      );
      expect((await store.get("user:1")).hit).toBe(false);
      // A write whose tags were not touched is unaffected.
      expect(await store.set({ key: "plan:1", value: "gold", ttlMs: 60_000, tags: ["plan:1"], generation })).toBe(true);
      expect(await store.get("plan:1")).toEqual(hit("gold"));
    });

    it("overwriting an entry makes it answer to its new tags", async () => {
      // Whether the old tags still drop it is left open: over-invalidating costs a miss, never a stale read.
      const store = await open();
      await put(store, "k", "v1", ["old"]);
      const generation = await missGeneration(store, "unrelated");
      await store.set({ key: "k", value: "v2", ttlMs: 60_000, tags: ["new"], generation });
      expect(await store.get("k")).toEqual(hit("v2"));
      await store.invalidateTags(["new"]);
      expect((await store.get("k")).hit).toBe(false);
    });

    it("answers a ping when healthy", async () => {
      const store = await open();
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
