import type { DatabaseHandle } from "../../db/client.js";
import { fastRelay, testLogger } from "../../testing/events.js";
import { createTestPglite } from "../../testing/services.js";
import { describeEventBusContract } from "./event-bus.contract.js";
import { EventBus } from "./event-bus.js";
import { MemoryTransport } from "./memory-transport.js";

// Embedded mode: PGlite and the in-process transport, held to the same contract as RabbitMQ.
describeEventBusContract("PGlite + in-process transport", {
  openDatabase: async () => {
    const handle: DatabaseHandle = await createTestPglite();
    return { handle, close: () => handle.close() };
  },
  makeBus: async (handle, onDelivery) => {
    const transport = new MemoryTransport({ retryDelayMs: 30, logger: testLogger });
    const bus = new EventBus({
      db: handle,
      transport,
      logger: testLogger,
      relay: fastRelay,
      maxAttempts: 3,
      onDelivery,
    });
    return {
      bus,
      deadLetters: async (consumer) => transport.deadLetters(consumer).flatMap((letter) => letter.envelope?.id ?? []),
      stop: () => bus.stop(),
    };
  },
});
