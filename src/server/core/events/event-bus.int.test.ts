import { afterAll, beforeAll } from "vitest";
import { fastRelay, RabbitAdmin, testLogger } from "../../testing/events.js";
import { createTestPostgres, testServiceUrls, uniqueName } from "../../testing/services.js";
import { describeEventBusContract } from "./event-bus.contract.js";
import { EventBus } from "./event-bus.js";
import { RabbitMqTransport } from "./rabbitmq-transport.js";

// Services mode: PostgreSQL and RabbitMQ, each test under its own namespace (exchange and queues
// deleted afterwards), held to the same contract as the embedded transport.
let admin: RabbitAdmin;
beforeAll(async () => {
  admin = await RabbitAdmin.connect(testServiceUrls.amqp);
});
afterAll(async () => {
  await admin?.close();
});

describeEventBusContract("PostgreSQL + RabbitMQ", {
  openDatabase: async () => {
    const postgres = await createTestPostgres();
    return { handle: postgres.handle, close: () => postgres.drop() };
  },
  makeBus: async (handle, onDelivery) => {
    const namespace = uniqueName("events");
    const transport = await RabbitMqTransport.connect({
      url: testServiceUrls.amqp,
      namespace,
      logger: testLogger,
      retryDelayMs: 30,
      publishTimeoutMs: 2000,
      reconnect: { initialDelayMs: 50, maxDelayMs: 250 },
    });
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
      deadLetters: (consumer) => admin.deadLetters(namespace, consumer),
      stop: async () => {
        const consumers = bus.consumerNames;
        await bus.stop();
        await admin.deleteTopology(namespace, consumers);
      },
    };
  },
});
