import { inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../../shared/events.js";
import { outbox } from "../../db/schema/events.js";
import { RabbitAdmin, sleep, testLogger, waitFor } from "../../testing/events.js";
import { createTestPostgres, type TestPostgres, testServiceUrls, uniqueName } from "../../testing/services.js";
import { TcpProxy, viaProxy } from "../../testing/tcp-proxy.js";
import { StartupError } from "../../utils/startup-error.js";
import { EventBus } from "./event-bus.js";
import { RabbitMqTransport, rabbitNames } from "./rabbitmq-transport.js";

const actor: Actor = { kind: "system", id: "faults-test" };

describe("RabbitMQ transport under faults", () => {
  let postgres: TestPostgres;
  let proxy: TcpProxy;
  let admin: RabbitAdmin;
  // Each test's bus is stopped after it: two running relays on one database but different
  // namespaces would take each other's rows (a deployment shares one namespace per database).
  let running: { bus: EventBus; namespace: string } | undefined;

  beforeAll(async () => {
    postgres = await createTestPostgres();
    admin = await RabbitAdmin.connect(testServiceUrls.amqp);
    const broker = new URL(testServiceUrls.amqp);
    proxy = new TcpProxy(broker.hostname, Number(broker.port || 5672));
    await proxy.start();
  });
  afterEach(async () => {
    if (!running) return;
    const consumers = running.bus.consumerNames;
    await running.bus.stop();
    await admin.deleteTopology(running.namespace, consumers);
    running = undefined;
  });
  afterAll(async () => {
    await admin?.close();
    await proxy?.stop();
    await postgres?.drop();
  });

  /** Starts a bus under a fresh namespace; stopped and cleaned up after the test. */
  async function startBus(url: string, subscribe: (bus: EventBus) => void, waitForConnect = true) {
    const namespace = uniqueName("faults");
    const transport = await RabbitMqTransport.connect({
      url,
      waitForConnect,
      namespace,
      logger: testLogger,
      retryDelayMs: 30,
      publishTimeoutMs: 1000,
      reconnect: { initialDelayMs: 50, maxDelayMs: 250 },
    });
    const bus = new EventBus({
      db: postgres.handle,
      transport,
      logger: testLogger,
      relay: { pollIntervalMs: 100, backoffInitialMs: 50, backoffMaxMs: 250 },
    });
    running = { bus, namespace };
    subscribe(bus);
    await bus.start();
    return { bus, namespace };
  }

  it("commits requests during an outage, keeps their events pending, then delivers each exactly once per consumer", async () => {
    const handled = { audit: new Map<string, number>(), cache: new Map<string, number>() };
    const { bus } = await startBus(viaProxy(testServiceUrls.amqp, proxy.port), (bus) => {
      for (const consumer of ["audit", "cache"] as const) {
        bus.subscribe(consumer, "error.occurred", async (envelope) => {
          const counts = handled[consumer];
          counts.set(envelope.id, (counts.get(envelope.id) ?? 0) + 1);
        });
      }
    });
    const db = postgres.handle.db;
    const publish = (label: string) =>
      db.transaction((tx) => bus.publish(tx, "error.occurred", { where: label, message: "outage test" }, actor));
    const deliveredToBoth = (id: string) => handled.audit.has(id) && handled.cache.has(id);

    const before = await publish("before");
    await waitFor(() => deliveredToBoth(before.id), "delivery before the outage");

    proxy.cut();
    await waitFor(
      () =>
        bus.ping().then(
          () => false,
          () => true,
        ),
      "the transport to notice the outage",
    );

    const started = performance.now();
    const during = [];
    for (let i = 0; i < 5; i += 1) during.push(await publish(`during-${i}`));
    // The requests' transactions never wait on RabbitMQ.
    expect(performance.now() - started).toBeLessThan(1000);
    const ids = during.map((event) => event.id);

    // The relay tried, failed, and left every row pending with the failure recorded.
    await waitFor(async () => {
      const rows = await db.select().from(outbox).where(inArray(outbox.id, ids));
      return rows.every((row) => row.publishedAt === null && row.attempts > 0 && row.lastError !== null);
    }, "failed publish attempts to be recorded");
    expect(await bus.backlog()).toBe(5);
    expect(ids.filter(deliveredToBoth)).toEqual([]);

    proxy.restore();
    await waitFor(() => ids.every(deliveredToBoth), "every event after RabbitMQ returns", 15_000);
    await waitFor(async () => (await bus.backlog()) === 0, "the outbox to drain");
    // Give any duplicate (a redelivery after the reconnect) time to show up before counting.
    await sleep(300);
    for (const id of [before.id, ...ids]) {
      expect(handled.audit.get(id)).toBe(1);
      expect(handled.cache.get(id)).toBe(1);
    }
  });

  it("re-declares and resumes a consumer whose queue was deleted under it", async () => {
    const seen: string[] = [];
    const { bus, namespace } = await startBus(testServiceUrls.amqp, (bus) => {
      bus.subscribe("healing", "error.occurred", async (envelope) => {
        if (envelope.payload.where === "heal.after") seen.push(envelope.id);
      });
    });
    const queue = rabbitNames(namespace).queue("healing");

    await admin.deleteQueue(queue);
    // Declared again (so the cancel was seen) and the session is back (so it is bound and consumed).
    await waitFor(
      async () =>
        (await admin.queueExists(queue)) &&
        bus.ping().then(
          () => true,
          () => false,
        ),
      "the queue to be declared and consumed again",
    );
    const event = await bus.publish(postgres.handle.db, "error.occurred", { where: "heal.after", message: "m" }, actor);
    await waitFor(() => seen.includes(event.id), "delivery through the re-declared queue");
  });

  it("boots without RabbitMQ when asked not to wait, and delivers once it appears", async () => {
    proxy.cut();
    const seen: string[] = [];
    const { bus } = await startBus(
      viaProxy(testServiceUrls.amqp, proxy.port),
      (bus) => {
        bus.subscribe("late", "error.occurred", async (envelope) => {
          if (envelope.payload.where === "boot.during-outage") seen.push(envelope.id);
        });
      },
      false,
    );
    const event = await bus.publish(
      postgres.handle.db,
      "error.occurred",
      { where: "boot.during-outage", message: "m" },
      actor,
    );
    await sleep(200);
    expect(await bus.backlog()).toBeGreaterThanOrEqual(1);

    proxy.restore();
    await waitFor(() => seen.includes(event.id), "delivery once RabbitMQ is reachable");
  });

  it("fails start-up with a StartupError naming AMQP_URL when RabbitMQ cannot be reached", async () => {
    proxy.cut();
    try {
      const attempt = RabbitMqTransport.connect({
        url: viaProxy(testServiceUrls.amqp, proxy.port),
        namespace: uniqueName("unreachable"),
        logger: testLogger,
        connectTimeoutMs: 500,
      });
      await expect(attempt).rejects.toBeInstanceOf(StartupError);
      await expect(attempt).rejects.toThrow(/^AMQP_URL: cannot reach RabbitMQ/);
    } finally {
      proxy.restore();
    }
  });
});
