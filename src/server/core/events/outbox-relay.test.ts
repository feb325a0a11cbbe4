import { inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor, EventEnvelope } from "../../../shared/events.js";
import type { DatabaseHandle } from "../../db/client.js";
import { outbox } from "../../db/schema/events.js";
import { testLogger, waitFor } from "../../testing/events.js";
import { createTestPglite } from "../../testing/services.js";
import { EventBus } from "./event-bus.js";
import { MemoryTransport } from "./memory-transport.js";

const actor: Actor = { kind: "system", id: "relay-test" };

/** A broker that accepts a publish and never confirms it (a wedged channel), until released. */
class WedgedTransport extends MemoryTransport {
  wedged = true;
  override async publish(envelope: EventEnvelope): Promise<void> {
    if (this.wedged) return new Promise<void>(() => {});
    await super.publish(envelope);
  }
}

/** The in-process transport behind a switch, to play a broker that goes away and comes back. */
class SwitchableTransport extends MemoryTransport {
  down = false;
  override async publish(envelope: EventEnvelope): Promise<void> {
    if (this.down) throw new Error("broker unreachable");
    await super.publish(envelope);
  }
}

describe("outbox relay (PGlite)", () => {
  let handle: DatabaseHandle;
  let bus: EventBus | undefined;

  beforeAll(async () => {
    handle = await createTestPglite();
  }, 120_000); // PGlite takes tens of seconds to start on a loaded machine
  afterEach(async () => {
    await bus?.stop();
    bus = undefined;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("publishes as soon as the transaction commits, without waiting for the poll", async () => {
    const transport = new MemoryTransport({ logger: testLogger });
    // A poll this slow would fail the test: only the commit notification can deliver in time.
    bus = new EventBus({ db: handle, transport, logger: testLogger, relay: { pollIntervalMs: 60_000 } });
    const seen: string[] = [];
    bus.subscribe("prompt", "error.occurred", async (envelope) => {
      seen.push(envelope.id);
    });
    await bus.start();

    const started = performance.now();
    const event = await handle.db.transaction((tx) =>
      bus!.publish(tx, "error.occurred", { where: "relay.prompt", message: "m" }, actor),
    );
    await waitFor(() => seen.includes(event.id), "prompt delivery", 3000);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("keeps events pending while the transport is down and delivers each once when it is back", async () => {
    const transport = new SwitchableTransport({ logger: testLogger });
    transport.down = true;
    bus = new EventBus({
      db: handle,
      transport,
      logger: testLogger,
      relay: { pollIntervalMs: 50, backoffInitialMs: 20, backoffMaxMs: 100 },
    });
    const counts = new Map<string, number>();
    bus.subscribe("steady", "error.occurred", async (envelope) => {
      if (!envelope.payload.where.startsWith("relay.down-")) return;
      counts.set(envelope.id, (counts.get(envelope.id) ?? 0) + 1);
    });
    await bus.start();

    const events = [];
    for (let i = 0; i < 3; i += 1) {
      events.push(await bus.publish(handle.db, "error.occurred", { where: `relay.down-${i}`, message: "m" }, actor));
    }
    const ids = events.map((event) => event.id);
    await waitFor(async () => {
      const rows = await handle.db.select().from(outbox).where(inArray(outbox.id, ids));
      return rows.every((row) => row.attempts >= 2 && row.lastError === "broker unreachable" && !row.publishedAt);
    }, "repeated failed attempts, rows still pending");
    expect(await bus.backlog()).toBe(3);
    expect(counts.size).toBe(0);

    transport.down = false;
    await waitFor(() => ids.every((id) => counts.get(id) === 1), "delivery after the transport returns");
    expect(await bus.backlog()).toBe(0);
  });

  it("gives up on a publish that never settles, records the attempt, and delivers once the broker answers", async () => {
    const transport = new WedgedTransport({ logger: testLogger });
    bus = new EventBus({
      db: handle,
      transport,
      logger: testLogger,
      relay: { pollIntervalMs: 50, backoffInitialMs: 20, backoffMaxMs: 100, publishTimeoutMs: 200 },
    });
    const seen: string[] = [];
    bus.subscribe("wedged", "error.occurred", async (envelope) => {
      seen.push(envelope.id);
    });
    await bus.start();

    const event = await bus.publish(handle.db, "error.occurred", { where: "relay.wedged", message: "m" }, actor);
    await waitFor(async () => {
      const [row] = await handle.db
        .select()
        .from(outbox)
        .where(inArray(outbox.id, [event.id]));
      return (row?.attempts ?? 0) >= 2 && /timed out/.test(row?.lastError ?? "");
    }, "the wedged publish to time out and be retried");

    transport.wedged = false;
    await waitFor(() => seen.includes(event.id), "delivery once the broker answers");
    expect(await bus.backlog()).toBe(0);
  });

  it("replaces a loop that stopped turning (a hang nothing foresaw), and events flow again", async () => {
    const transport = new MemoryTransport({ logger: testLogger });
    const relay = { pollIntervalMs: 50, backoffMaxMs: 100, roundTimeoutMs: 200, watchdogIntervalMs: 50 };
    bus = new EventBus({ db: handle, transport, logger: testLogger, relay });
    const seen: string[] = [];
    bus.subscribe("watched", "error.occurred", async (envelope) => {
      seen.push(envelope.id);
    });
    // The next pause never ends and ignores wake-ups: the loop is stuck where no deadline reaches.
    const inner = (bus as unknown as { relay: { sleep(ms: number): Promise<void> } }).relay;
    const sleep = inner.sleep.bind(inner);
    let wedged = false;
    inner.sleep = (ms) => {
      if (wedged) return sleep(ms);
      wedged = true;
      return new Promise<void>(() => {});
    };
    await bus.start();
    await waitFor(() => wedged, "the loop to wedge");

    const event = await handle.db.transaction((tx) =>
      bus!.publish(tx, "error.occurred", { where: "relay.wedged", message: "m" }, actor),
    );
    await waitFor(() => seen.includes(event.id), "delivery by the loop the watchdog started", 10_000);
  });

  it("reports how old the oldest pending event is, and whether that is stale", async () => {
    const transport = new SwitchableTransport({ logger: testLogger });
    transport.down = true;
    bus = new EventBus({
      db: handle,
      transport,
      logger: testLogger,
      relay: { pollIntervalMs: 50, backoffInitialMs: 20, backoffMaxMs: 100, staleAfterMs: 300 },
    });
    await bus.start();
    expect(await bus.oldestPendingAgeMs()).toBe(0);

    await bus.publish(handle.db, "error.occurred", { where: "relay.stuck", message: "m" }, actor);
    await waitFor(async () => (await bus!.oldestPendingAgeMs()) > 300, "the pending event to age");
    expect(bus.outboxStaleAfterMs).toBe(300);

    transport.down = false;
    await waitFor(async () => (await bus!.oldestPendingAgeMs()) === 0, "the outbox to drain");
  });
});
