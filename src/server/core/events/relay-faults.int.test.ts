import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../../shared/events.js";
import { outbox } from "../../db/schema/events.js";
import { RabbitAdmin, testLogger, waitFor } from "../../testing/events.js";
import { createTestPostgres, type TestPostgres, testServiceUrls, uniqueName } from "../../testing/services.js";
import { TcpProxy, viaProxy } from "../../testing/tcp-proxy.js";
import { EventBus } from "./event-bus.js";
import { MemoryTransport } from "./memory-transport.js";
import { RabbitMqTransport } from "./rabbitmq-transport.js";

/**
 * The outbox relay stopped publishing twice in long ordinary use, silently. These are the
 * faults that can stop it; through each, events must keep flowing (or flow again on recovery).
 */
const actor: Actor = { kind: "system", id: "relay-faults" };

describe("outbox relay under faults (services)", () => {
  let database: TestPostgres;
  let bus: EventBus | undefined;
  const admin = postgres(testServiceUrls.postgresAdmin, { max: 1, onnotice: () => {} });

  beforeAll(async () => {
    database = await createTestPostgres();
  });
  afterEach(async () => {
    await bus?.stop();
    bus = undefined;
  });
  afterAll(async () => {
    await admin.end();
    await database?.drop();
  });

  const publish = (where: string) =>
    database.handle.db.transaction((tx) => bus!.publish(tx, "error.occurred", { where, message: "m" }, actor));

  it("keeps delivering promptly after its LISTEN connection's backend is terminated", async () => {
    // A poll this slow cannot deliver within the test: only notifications can.
    bus = new EventBus({
      db: database.handle,
      transport: new MemoryTransport({ logger: testLogger }),
      logger: testLogger,
      relay: { pollIntervalMs: 60_000 },
    });
    const seen: string[] = [];
    bus.subscribe("listen-faults", "error.occurred", async (envelope) => {
      seen.push(envelope.id);
    });
    await bus.start();
    const first = await publish("relay.before");
    await waitFor(() => seen.includes(first.id), "delivery before the fault", 5000);

    const name = new URL(database.url).pathname.slice(1);
    const killed = await admin<{ pid: number }[]>`
      select pid from pg_stat_activity
      where datname = ${name} and query ilike 'listen%' and pg_terminate_backend(pid)`;
    expect(killed.length).toBe(1);

    const second = await publish("relay.after");
    await waitFor(() => seen.includes(second.id), "delivery after the LISTEN backend was terminated", 5000);
  });

  describe("with RabbitMQ behind a proxy", () => {
    let proxy: TcpProxy;
    let rabbit: RabbitAdmin;
    const namespace = uniqueName("relayfaults");

    beforeAll(async () => {
      const broker = new URL(testServiceUrls.amqp);
      proxy = new TcpProxy(broker.hostname, Number(broker.port || 5672));
      await proxy.start();
      rabbit = await RabbitAdmin.connect(testServiceUrls.amqp);
    });
    afterAll(async () => {
      await rabbit?.deleteTopology(namespace, ["silenced"]).catch(() => {});
      await rabbit?.close();
      await proxy?.stop();
    });

    it("gives up on a publish RabbitMQ never confirms, keeps the event pending, and delivers it after recovery", async () => {
      const transport = await RabbitMqTransport.connect({
        url: viaProxy(testServiceUrls.amqp, proxy.port),
        namespace,
        logger: testLogger,
        // The transport's own deadline is the production default; the relay's must act first.
        reconnect: { initialDelayMs: 50, maxDelayMs: 250 },
      });
      bus = new EventBus({
        db: database.handle,
        transport,
        logger: testLogger,
        relay: { pollIntervalMs: 100, backoffInitialMs: 50, backoffMaxMs: 250, publishTimeoutMs: 500 },
      });
      const seen: string[] = [];
      bus.subscribe("silenced", "error.occurred", async (envelope) => {
        seen.push(envelope.id);
      });
      await bus.start();
      const before = await publish("relay.rabbit-before");
      await waitFor(() => seen.includes(before.id), "delivery before the fault");

      proxy.silence();
      const stuck = await publish("relay.rabbit-silenced");
      await waitFor(
        async () => {
          const [row] = await database.handle.db.select().from(outbox).where(eq(outbox.id, stuck.id));
          return (row?.attempts ?? 0) >= 1 && /timed out/.test(row?.lastError ?? "") && !row?.publishedAt;
        },
        "the unconfirmed publish to time out and be recorded",
        5000,
      );
      expect(seen).not.toContain(stuck.id);

      proxy.restore();
      await waitFor(() => seen.includes(stuck.id), "delivery after RabbitMQ answers again", 20_000);
      expect(await bus.backlog()).toBe(0);
    }, 40_000);
  });
});
