import { expect, it } from "vitest";
import { MemoryCacheStore } from "./memory-store.js";
import { describeCacheStoreContract } from "./store.contract.js";

describeCacheStoreContract("MemoryCacheStore", async () => new MemoryCacheStore());

it("evicts the least recently used entry beyond maxEntries, and its tag index with it", async () => {
  const store = new MemoryCacheStore({ maxEntries: 2 });
  const write = (key: string) => store.set({ key, value: key, ttlMs: 60_000, tags: ["all"], generation: 0 });
  await write("a");
  await write("b");
  await store.get("a"); // a is now the most recently used
  await write("c");
  expect((await store.get("b")).hit).toBe(false);
  expect(await store.get("a")).toEqual({ hit: true, value: "a" });
  await store.invalidateTags(["all"]);
  expect((await store.get("a")).hit).toBe(false);
  expect((await store.get("c")).hit).toBe(false);
});
