import { type ChannelModel, connect } from "amqplib";
import { pino } from "pino";
import { parseEnvelope } from "../../shared/events.js";
import type { OutboxRelayOptions } from "../core/events/outbox-relay.js";
import { rabbitNames } from "../core/events/rabbitmq-transport.js";
import type { Logger } from "../core/logger.js";

/** Helpers for the events module's tests. */

export const testLogger: Logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

/** Short intervals keep the tests fast; production uses the defaults. */
export const fastRelay: Partial<OutboxRelayOptions> = {
  pollIntervalMs: 50,
  backoffInitialMs: 50,
  backoffMaxMs: 250,
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds; the failure names what never happened. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** A side connection for tests: reads dead-letter queues and deletes what a test declared. */
export class RabbitAdmin {
  private readonly drained = new Map<string, string[]>();

  private constructor(private readonly model: ChannelModel) {}

  static async connect(url: string): Promise<RabbitAdmin> {
    return new RabbitAdmin(await connect(url));
  }

  /** Event ids that reached a consumer's DLQ so far (reading removes them from RabbitMQ, so they are kept here). */
  async deadLetters(namespace: string, consumer: string): Promise<string[]> {
    const queue = rabbitNames(namespace).deadLetterQueue(consumer);
    const seen = this.drained.get(queue) ?? [];
    this.drained.set(queue, seen);
    const channel = await this.model.createChannel();
    channel.on("error", () => {});
    try {
      for (;;) {
        const message = await channel.get(queue, { noAck: true });
        if (message === false) break;
        seen.push(parseEnvelope(JSON.parse(message.content.toString("utf8"))).id);
      }
      await channel.close();
    } catch {
      // The queue does not exist yet (a 404 closes the channel): nothing dead-lettered.
    }
    return [...seen];
  }

  async queueExists(queue: string): Promise<boolean> {
    const channel = await this.model.createChannel();
    channel.on("error", () => {});
    try {
      await channel.checkQueue(queue);
      await channel.close();
      return true;
    } catch {
      return false; // a 404 closes the channel by itself
    }
  }

  async deleteQueue(queue: string): Promise<void> {
    const channel = await this.model.createChannel();
    await channel.deleteQueue(queue);
    await channel.close();
  }

  async deleteTopology(namespace: string, consumers: readonly string[]): Promise<void> {
    const names = rabbitNames(namespace);
    const channel = await this.model.createChannel();
    for (const consumer of consumers) {
      await channel.deleteQueue(names.queue(consumer));
      await channel.deleteQueue(names.retryQueue(consumer));
      await channel.deleteQueue(names.deadLetterQueue(consumer));
    }
    await channel.deleteExchange(names.exchange);
    await channel.close();
  }

  async close(): Promise<void> {
    await this.model.close();
  }
}
