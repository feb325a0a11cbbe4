import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor, EventEnvelope } from "../../../shared/events.js";
import type { DatabaseHandle } from "../../db/client.js";
import { type Executor, queryRows } from "../../db/database.js";
import { outbox, processedEvents } from "../../db/schema/events.js";
import { waitFor } from "../../testing/events.js";
import { type DeliveryObservation, type EventBus, InvalidEventError } from "./event-bus.js";

/** One bus on one transport, built fresh for each test. */
export interface ContractBus {
  bus: EventBus;
  /** Ids of the events in a consumer's dead-letter queue. */
  deadLetters(consumer: string): Promise<string[]>;
  /** Stops the bus and removes whatever the transport declared. */
  stop(): Promise<void>;
}

export interface ContractTarget {
  openDatabase(): Promise<{ handle: DatabaseHandle; close(): Promise<void> }>;
  /** Consumers get `maxAttempts: 3` by default; retries wait a few tens of milliseconds. */
  makeBus(handle: DatabaseHandle, onDelivery: (observation: DeliveryObservation) => void): Promise<ContractBus>;
}

const actor: Actor = { kind: "system", id: "contract-test" };
let sequence = 0;

/**
 * The behaviour every transport must give the EventBus. Test events are `error.occurred`, each
 * tagged through `where` so that a handler only counts the events of its own test.
 */
export function describeEventBusContract(name: string, target: ContractTarget): void {
  describe(`EventBus contract: ${name}`, () => {
    let handle: DatabaseHandle;
    let closeDatabase: () => Promise<void>;
    let current: ContractBus | undefined;
    let observations: DeliveryObservation[] = [];

    beforeAll(async () => {
      ({ handle, close: closeDatabase } = await target.openDatabase());
      await handle.db.execute(sql`create table contract_effects (consumer text not null, event_id uuid not null)`);
    });
    afterEach(async () => {
      await current?.stop();
      current = undefined;
      observations = [];
    });
    afterAll(async () => {
      await closeDatabase?.();
    });

    async function makeBus(): Promise<EventBus> {
      current = await target.makeBus(handle, (observation) => observations.push(observation));
      return current.bus;
    }

    /** A unique consumer name and event tag per test, so tests never see each other's events. */
    function fixture(label: string) {
      sequence += 1;
      const tag = `${label}-${sequence}-${Date.now().toString(36)}`;
      return {
        tag,
        consumer: (suffix: string) => `${label}-${suffix}-${sequence}`,
        mine: (envelope: EventEnvelope) => envelope.type === "error.occurred" && envelope.payload.where.startsWith(tag),
        publish: (bus: EventBus, tx: Executor, suffix = "event") =>
          bus.publish(tx, "error.occurred", { where: `${tag}.${suffix}`, message: "contract test" }, actor),
      };
    }

    const outcomes = (consumer: string, eventId: string) =>
      observations.filter((o) => o.consumer === consumer && o.eventId === eventId).map((o) => o.outcome);

    it("delivers a committed event to every subscriber exactly once, with the envelope the publisher got", async () => {
      const f = fixture("committed");
      const bus = await makeBus();
      const audit: EventEnvelope[] = [];
      const cache: EventEnvelope[] = [];
      bus.subscribe(f.consumer("audit"), "*", async (envelope) => {
        if (f.mine(envelope)) audit.push(envelope);
      });
      bus.subscribe(f.consumer("cache"), ["error.occurred"], async (envelope) => {
        if (f.mine(envelope)) cache.push(envelope);
      });
      await bus.start();

      const first = await handle.db.transaction((tx) => f.publish(bus, tx, "first"));
      await waitFor(() => audit.length === 1 && cache.length === 1, "both consumers to receive the event");
      expect(audit[0]).toEqual(first);
      expect(cache[0]).toEqual(first);

      // A later event flushes anything still in flight: the first must not have come twice.
      const second = await handle.db.transaction((tx) => f.publish(bus, tx, "second"));
      await waitFor(() => audit.length === 2 && cache.length === 2, "both consumers to receive the second event");
      expect(audit.map((e) => e.id).sort()).toEqual([first.id, second.id].sort());
      expect(cache.map((e) => e.id).sort()).toEqual([first.id, second.id].sort());
      await waitFor(async () => (await bus.backlog()) === 0, "the outbox to drain");
    });

    it("never delivers an event whose transaction rolled back", async () => {
      const f = fixture("rollback");
      const bus = await makeBus();
      const seen: string[] = [];
      bus.subscribe(f.consumer("audit"), "error.occurred", async (envelope) => {
        if (f.mine(envelope)) seen.push(envelope.id);
      });
      await bus.start();

      let rolledBack: EventEnvelope | undefined;
      await expect(
        handle.db.transaction(async (tx) => {
          rolledBack = await f.publish(bus, tx, "rolled-back");
          throw new Error("the service failed after publishing");
        }),
      ).rejects.toThrow("the service failed");
      const committed = await handle.db.transaction((tx) => f.publish(bus, tx, "committed"));

      await waitFor(() => seen.includes(committed.id), "the committed event");
      expect(rolledBack).toBeDefined();
      expect(seen).not.toContain(rolledBack?.id);
      const rows = await handle.db
        .select()
        .from(outbox)
        .where(eq(outbox.id, rolledBack?.id ?? ""));
      expect(rows).toHaveLength(0);
    });

    it("retries a handler that fails twice, and its database writes land exactly once", async () => {
      const f = fixture("retry");
      const bus = await makeBus();
      const consumer = f.consumer("flaky");
      let calls = 0;
      bus.subscribe(consumer, "error.occurred", async (envelope, tx) => {
        if (!f.mine(envelope)) return;
        calls += 1;
        // Written before the failure: the rollback must undo it on the failing attempts.
        await tx.execute(sql`insert into contract_effects (consumer, event_id) values (${consumer}, ${envelope.id})`);
        if (calls <= 2) throw new Error(`transient failure ${calls}`);
      });
      await bus.start();

      const event = await f.publish(bus, handle.db);
      await waitFor(() => outcomes(consumer, event.id).includes("handled"), "the third attempt to succeed");
      expect(calls).toBe(3);
      expect(outcomes(consumer, event.id)).toEqual(["failed", "failed", "handled"]);
      const effects = await queryRows<{ count: number }>(
        handle.db,
        sql`select count(*)::int as count from contract_effects where consumer = ${consumer} and event_id = ${event.id}`,
      );
      expect(effects[0]?.count).toBe(1);
    });

    it("dead-letters an always-failing event after N attempts without holding up the events after it", async () => {
      const f = fixture("poison");
      const bus = await makeBus();
      const consumer = f.consumer("strict");
      let poisonCalls = 0;
      const handled: string[] = [];
      bus.subscribe(
        consumer,
        "error.occurred",
        async (envelope) => {
          if (!f.mine(envelope)) return;
          if (envelope.payload.where.endsWith(".poison")) {
            poisonCalls += 1;
            throw new Error("this event can never be handled");
          }
          handled.push(envelope.id);
        },
        { maxAttempts: 3 },
      );
      await bus.start();

      const poison = await f.publish(bus, handle.db, "poison");
      const healthy = await f.publish(bus, handle.db, "healthy");

      await waitFor(
        async () => (await current!.deadLetters(consumer)).includes(poison.id),
        "the poison event in the DLQ",
      );
      await waitFor(() => handled.includes(healthy.id), "the healthy event");
      expect(poisonCalls).toBe(3);
      expect(outcomes(consumer, poison.id)).toEqual(["failed", "failed", "dead-lettered"]);
      // Not blocked: the healthy event went through while the poison one was waiting to be retried.
      const healthyAt = observations.findIndex((o) => o.eventId === healthy.id && o.outcome === "handled");
      const deadAt = observations.findIndex((o) => o.eventId === poison.id && o.outcome === "dead-lettered");
      expect(healthyAt).toBeLessThan(deadAt);
      const marks = await handle.db
        .select()
        .from(processedEvents)
        .where(and(eq(processedEvents.consumer, consumer), eq(processedEvents.eventId, poison.id)));
      expect(marks).toHaveLength(0);
    });

    it("keeps retrying through an outage longer than its attempts, and never dead-letters the event", async () => {
      const f = fixture("outage");
      const bus = await makeBus();
      const consumer = f.consumer("patient");
      let calls = 0;
      const handled: string[] = [];
      bus.subscribe(
        consumer,
        "error.occurred",
        async (envelope) => {
          if (!f.mine(envelope)) return;
          calls += 1;
          // The database is away for twice as many deliveries as the consumer has attempts.
          if (calls <= 6)
            throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
          handled.push(envelope.id);
        },
        { maxAttempts: 3 },
      );
      await bus.start();

      const event = await f.publish(bus, handle.db, "during-outage");
      await waitFor(() => handled.includes(event.id), "the event once the database is back", 20_000);
      expect(calls).toBe(7);
      expect(await current!.deadLetters(consumer)).not.toContain(event.id);
    });

    it("counts an outage against the attempts once the event is older than the outage window", async () => {
      const f = fixture("long-outage");
      const bus = await makeBus();
      const consumer = f.consumer("bounded");
      let calls = 0;
      bus.subscribe(
        consumer,
        "error.occurred",
        async (envelope) => {
          if (!f.mine(envelope)) return;
          calls += 1;
          throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
        },
        // A window already over: the outage is no longer waited out for free.
        { maxAttempts: 3, outageWindowMs: 0 },
      );
      await bus.start();

      const event = await f.publish(bus, handle.db, "outage-for-good");
      await waitFor(
        () => outcomes(consumer, event.id).includes("dead-lettered"),
        "the event to be dead-lettered",
        20_000,
      );
      expect(calls).toBe(3);
      expect(await current!.deadLetters(consumer)).toContain(event.id);
    });

    it("skips a redelivered event id (a relay that died between confirm and stamp)", async () => {
      const f = fixture("redelivery");
      const bus = await makeBus();
      const consumer = f.consumer("once");
      let calls = 0;
      bus.subscribe(consumer, "error.occurred", async (envelope) => {
        if (f.mine(envelope)) calls += 1;
      });
      await bus.start();

      const event = await f.publish(bus, handle.db);
      await waitFor(() => outcomes(consumer, event.id).includes("handled"), "the first delivery");
      await handle.db.update(outbox).set({ publishedAt: null }).where(eq(outbox.id, event.id));

      await waitFor(() => outcomes(consumer, event.id).includes("duplicate"), "the redelivery");
      expect(outcomes(consumer, event.id)).toEqual(["handled", "duplicate"]);
      expect(calls).toBe(1);
    });

    it("rejects an invalid payload or actor at publish and writes nothing", async () => {
      const bus = await makeBus();
      const before = await handle.db.select({ id: outbox.id }).from(outbox);

      const badPayload = { where: 42, message: "x" } as unknown as { where: string; message: string };
      await expect(bus.publish(handle.db, "error.occurred", badPayload, actor)).rejects.toBeInstanceOf(
        InvalidEventError,
      );
      await expect(bus.publish(handle.db, "error.occurred", badPayload, actor)).rejects.toThrow(/payload\.where/);
      const badActor = { kind: "user", id: "not-a-uuid" } as Actor;
      await expect(
        bus.publish(handle.db, "error.occurred", { where: "x", message: "y" }, badActor),
      ).rejects.toBeInstanceOf(InvalidEventError);

      const after = await handle.db.select({ id: outbox.id }).from(outbox);
      expect(after).toHaveLength(before.length);
    });

    it("feeds in-process listeners (live updates) with every published event", async () => {
      const f = fixture("live");
      const bus = await makeBus();
      const seen: EventEnvelope[] = [];
      const everything: EventEnvelope[] = [];
      const stopListening = bus.listen("error.occurred", (envelope) => {
        if (f.mine(envelope)) seen.push(envelope);
      });
      bus.listen("*", (envelope) => {
        if (f.mine(envelope)) everything.push(envelope);
      });
      await bus.start();

      const event = await f.publish(bus, handle.db);
      await waitFor(() => seen.length === 1, "the live listener");
      expect(seen[0]).toEqual(event);

      stopListening();
      const later = await f.publish(bus, handle.db, "later");
      await waitFor(() => everything.some((e) => e.id === later.id), "the listener still subscribed");
      expect(seen.map((e) => e.id)).toEqual([event.id]);
    });

    it("reports an unexpected error as error.occurred without echoing its message", async () => {
      const f = fixture("report");
      const bus = await makeBus();
      const seen: EventEnvelope<"error.occurred">[] = [];
      bus.subscribe(f.consumer("errors"), "error.occurred", async (envelope) => {
        if (f.mine(envelope)) seen.push(envelope);
      });
      await bus.start();

      const error = new TypeError("cannot update bob@example.com with password=hunter2");
      await bus.reportError(`${f.tag}.users.update`, error, { requestId: "req-42" });

      await waitFor(() => seen.length === 1, "the error.occurred event");
      expect(seen[0]?.payload).toEqual({
        where: `${f.tag}.users.update`,
        message: "unexpected TypeError",
        requestId: "req-42",
      });
      expect(JSON.stringify(seen[0])).not.toMatch(/hunter2|bob@example/);
    });

    it("reports each failed attempt of a consumer as error.occurred", async () => {
      const f = fixture("consumer-error");
      const bus = await makeBus();
      const failing = f.consumer("failing");
      const reports: EventEnvelope<"error.occurred">[] = [];
      bus.subscribe(
        failing,
        "user.password_reset_requested",
        async () => {
          throw new Error("secret-token-123 leaked into a message");
        },
        { maxAttempts: 2 },
      );
      bus.subscribe(f.consumer("errors"), "error.occurred", async (envelope) => {
        if (envelope.payload.where === `consumer:${failing}`) reports.push(envelope);
      });
      await bus.start();

      const event = await bus.publish(handle.db, "user.password_reset_requested", { userId: randomUUID() }, actor);
      await waitFor(() => reports.length === 2, "one report per failed attempt");
      expect(outcomes(failing, event.id)).toEqual(["failed", "dead-lettered"]);
      expect(reports.map((r) => r.payload.message)).toEqual(["unexpected Error", "unexpected Error"]);
      expect(JSON.stringify(reports)).not.toContain("secret-token-123");
    });
  });
}
