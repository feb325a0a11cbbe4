import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, EventEnvelope } from "../../../shared/events.js";
import { sleep, testLogger, waitFor } from "../../testing/events.js";
import { createTestPostgres, type TestPostgres } from "../../testing/services.js";
import { EventBus } from "./event-bus.js";
import { OutboxRelay } from "./outbox-relay.js";
import { listenForOutbox } from "./outbox-signal.js";
import type { EventTransport } from "./transport.js";

const actor: Actor = { kind: "system", id: "relay-test" };

/** Records what it was asked to publish; slow enough that two relays' rounds overlap. */
function recordingTransport(published: string[]): EventTransport {
  return {
    kind: "memory",
    publish: async (envelope: EventEnvelope) => {
      await sleep(2);
      published.push(envelope.id);
    },
    consume: async () => {},
    declare: async () => {},
    fanout: async () => async () => {},
    ping: async () => {},
    close: async () => {},
  };
}

describe("outbox relay (PostgreSQL)", () => {
  let postgres: TestPostgres;
  beforeAll(async () => {
    postgres = await createTestPostgres();
  });
  afterAll(async () => {
    await postgres?.drop();
  });

  it("never sends a row twice when two relays (two processes) drain the same outbox", async () => {
    const published: string[] = [];
    const publisher = new EventBus({
      db: postgres.handle,
      transport: recordingTransport([]),
      logger: testLogger,
      runRelay: false,
    });
    await postgres.handle.db.transaction(async (tx) => {
      for (let i = 0; i < 200; i += 1) {
        await publisher.publish(tx, "error.occurred", { where: `relay.${i}`, message: "m" }, actor);
      }
    });
    const options = { batchSize: 20, pollIntervalMs: 20 };
    const relays = [1, 2].map(
      () => new OutboxRelay(postgres.handle, recordingTransport(published), testLogger, options),
    );
    for (const relay of relays) relay.start();
    try {
      await waitFor(async () => (await relays[0]!.backlog()) === 0, "the outbox to drain", 20_000);
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
    expect(published).toHaveLength(200);
    expect(new Set(published).size).toBe(200);
  });

  it("hears commits from other connections (NOTIFY is delivered on commit only)", async () => {
    let signals = 0;
    const stop = await listenForOutbox(postgres.handle, () => {
      signals += 1;
    });
    const bus = new EventBus({
      db: postgres.handle,
      transport: recordingTransport([]),
      logger: testLogger,
      runRelay: false,
    });
    try {
      await expect(
        postgres.handle.db.transaction(async (tx) => {
          await bus.publish(tx, "error.occurred", { where: "relay.rolled-back", message: "m" }, actor);
          throw new Error("rollback");
        }),
      ).rejects.toThrow("rollback");
      await postgres.handle.db.transaction((tx) =>
        bus.publish(tx, "error.occurred", { where: "relay.committed", message: "m" }, actor),
      );
      await waitFor(() => signals === 1, "the commit's notification");
      await sleep(100);
      expect(signals).toBe(1);
    } finally {
      await stop();
    }
  });
});
