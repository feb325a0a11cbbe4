import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanupNamespace } from "../testing/cleanup.js";
import { waitFor } from "../testing/payments.js";
import { testServiceUrls, uniqueName } from "../testing/services.js";
import { TcpProxy, viaProxy } from "../testing/tcp-proxy.js";
import { BullmqJobQueue } from "./queue/bullmq-queue.js";
import { QueueUnavailableError } from "./queue/errors.js";
import type { JobPayloads } from "./queue/port.js";
import { connectRedis, createRedisClient, type Redis } from "./redis.js";

const TIMEOUT_MS = 200;
const redis = new URL(testServiceUrls.redis);

describe("Redis clients when Redis goes silent", () => {
  const proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
  const clients: Redis[] = [];
  let url: string;

  beforeAll(async () => {
    url = viaProxy(testServiceUrls.redis, await proxy.start());
  });
  afterEach(() => {
    proxy.restore();
    for (const client of clients.splice(0)) client.disconnect();
  });
  afterAll(() => proxy.stop());

  async function client(purpose: "fail-fast" | "queue"): Promise<Redis> {
    const created = createRedisClient(url, { name: `test-${purpose}`, purpose, commandTimeoutMs: TIMEOUT_MS });
    created.on("error", () => {});
    clients.push(created);
    await connectRedis(created);
    return created;
  }

  it("fails a fail-fast command at its deadline instead of waiting for an answer", async () => {
    const fast = await client("fail-fast");
    proxy.silence();
    const started = performance.now();
    await expect(fast.get("anything")).rejects.toThrow();
    // Rejected by the deadline, not by the connection closing: nothing closes a silent link.
    expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS * 5);
  });

  it("drops a connection that went silent while the link stays up, so commands fail at once and it reconnects", async () => {
    // Nothing closes the sockets here: only the watchdog can tell that nobody answers.
    for (const purpose of ["fail-fast", "queue"] as const) {
      const watched = await client(purpose);
      proxy.silence();
      await waitFor(
        async () => watched.status !== "ready",
        `the ${purpose} client to drop its silent connection`,
        8000,
      );
      if (purpose === "fail-fast") await expect(watched.get("anything")).rejects.toThrow(/writeable|closed/i);
      proxy.restore();
      await waitFor(async () => watched.status === "ready", `the ${purpose} client to reconnect`, 10_000);
      expect(await watched.ping()).toBe("PONG");
    }
  });
});

describe("the BullMQ producer when Redis goes silent", () => {
  const proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
  let queue: BullmqJobQueue<Pick<JobPayloads, "queue.ping">>;
  const namespace = uniqueName("qsilent");
  const OPERATION_TIMEOUT_MS = 400;

  beforeAll(async () => {
    queue = new BullmqJobQueue({
      redisUrl: viaProxy(testServiceUrls.redis, await proxy.start()),
      namespace,
      commandTimeoutMs: TIMEOUT_MS,
      operationTimeoutMs: OPERATION_TIMEOUT_MS,
    });
    await queue.connect();
  });
  afterAll(async () => {
    proxy.restore();
    await queue?.close({ timeoutMs: 1000 });
    await proxy.stop();
    await cleanupNamespace(namespace).catch(() => {});
  });

  it("refuses with a typed, retryable error at its deadline, and works again once Redis answers", async () => {
    const { id } = await queue.enqueue("queue.ping", { message: "before" }, { idempotencyKey: "before" });
    proxy.silence();
    try {
      for (const call of [
        () => queue.getJob(id),
        () => queue.enqueue("queue.ping", { message: "during" }, { idempotencyKey: "during" }),
        () => queue.counts(),
      ]) {
        const started = performance.now();
        const refused = await call().catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(QueueUnavailableError);
        expect(refused).toMatchObject({ code: "SERVICE_UNAVAILABLE", details: { retryAfterMs: expect.any(Number) } });
        expect(performance.now() - started).toBeLessThan(OPERATION_TIMEOUT_MS * 3);
      }
    } finally {
      proxy.restore();
    }
    await waitFor(
      async () => (await queue.getJob(id).catch(() => undefined)) !== undefined,
      "the queue to answer again",
    );
    expect((await queue.getJob(id))?.data).toEqual({ message: "before" });
  });
});
