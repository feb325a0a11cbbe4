import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, createRedisClient } from "../../core/redis.js";
import { cleanupNamespace } from "../../testing/cleanup.js";
import { testServiceUrls, uniqueName } from "../../testing/services.js";
import {
  type LiveSession,
  type LiveSessionStore,
  MemoryLiveSessionStore,
  RedisLiveSessionStore,
} from "./live-sessions.js";

const namespace = uniqueName("live");
const redis = createRedisClient(testServiceUrls.redis, { name: "live-sessions-test", purpose: "fail-fast" });

beforeAll(async () => {
  await connectRedis(redis);
});
afterAll(async () => {
  redis.disconnect();
  await cleanupNamespace(namespace);
});

const session = (role: LiveSession["role"]): LiveSession => ({
  userId: "00000000-0000-4000-8000-000000000001",
  role,
  disabled: false,
  revoked: false,
  expiresAt: Date.now() + 60_000,
  passwordChangedAt: 0,
  seenAt: Date.now(),
  loadedAt: Date.now(),
});

describe.each([
  ["memory", () => new MemoryLiveSessionStore()],
  ["redis", () => new RedisLiveSessionStore(redis, namespace)],
] as Array<[string, () => LiveSessionStore]>)("live session store (%s)", (_name, make) => {
  it("stores, reads and drops a session's live copy", async () => {
    const store = make();
    await store.set("s1", session("user"), 60_000);
    expect((await store.get("s1"))?.role).toBe("user");
    await store.delete(["s1"]);
    expect(await store.get("s1")).toBeUndefined();
  });

  it("never resurrects a dropped copy on refresh (a revocation racing an activity update)", async () => {
    const store = make();
    await store.set("s2", session("user"), 60_000);
    await store.delete(["s2"]);
    await store.refresh("s2", session("admin"), 60_000);
    expect(await store.get("s2")).toBeUndefined();
    await store.set("s3", session("user"), 60_000);
    await store.refresh("s3", session("guest"), 60_000);
    expect((await store.get("s3"))?.role).toBe("guest");
  });

  it("purges every copy of its namespace, and only those", async () => {
    const store = make();
    await Promise.all(Array.from({ length: 1500 }, (_, i) => store.set(`p${i}`, session("user"), 60_000)));
    const neighbour = new RedisLiveSessionStore(redis, `${namespace}-neighbour`);
    await neighbour.set("n1", session("user"), 60_000);
    await store.purge();
    expect(await store.get("p0")).toBeUndefined();
    expect(await store.get("p1499")).toBeUndefined();
    expect(await neighbour.get("n1")).toBeDefined();
    await neighbour.delete(["n1"]);
  });

  it("forgets a copy when its time is up", async () => {
    const store = make();
    await store.set("s4", session("user"), 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.get("s4")).toBeUndefined();
  });
});
