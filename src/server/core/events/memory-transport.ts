import { type EventEnvelope, parseEnvelope } from "../../../shared/events.js";
import type { Logger } from "../logger.js";
import { waitsOutOutage } from "../outage.js";
import {
  type Binding,
  bindingsMatch,
  type ConsumeOptions,
  type DeliveryHandler,
  type EventTransport,
  type LiveListener,
} from "./transport.js";

export interface MemoryTransportOptions {
  /** Pause before a failed event is delivered again, so a failing handler never hot-loops. */
  retryDelayMs?: number;
  logger?: Logger;
}

export interface DeadLetter {
  consumer: string;
  /** Undefined when the message could not even be parsed. */
  envelope: EventEnvelope | undefined;
  attempts: number;
  error: string;
}

interface PendingDelivery {
  wire: string;
  attempt: number;
}

interface MemoryConsumer {
  name: string;
  bindings: readonly Binding[];
  handler: DeliveryHandler;
  options: ConsumeOptions;
  queue: PendingDelivery[];
  active: number;
}

/**
 * The embedded-mode transport: the same semantics as RabbitMQ (asynchronous delivery, retry
 * with a delay, dead-letter after N attempts, bounded concurrency per consumer), in process.
 * Events travel as JSON so handlers never share objects with the publisher, as on the wire.
 *
 * It keeps nothing across a restart: an event the relay already handed over but no consumer
 * has finished is lost if the process dies. The outbox covers everything before that point.
 */
export class MemoryTransport implements EventTransport {
  readonly kind = "memory";
  private readonly consumers = new Map<string, MemoryConsumer>();
  private readonly listeners = new Set<LiveListener>();
  private readonly deadLetterStore: DeadLetter[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retryDelayMs: number;
  private closed = false;

  constructor(private readonly options: MemoryTransportOptions = {}) {
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  async publish(envelope: EventEnvelope): Promise<void> {
    if (this.closed) throw new Error("event transport is closed");
    const wire = JSON.stringify(envelope);
    for (const consumer of this.consumers.values()) {
      if (bindingsMatch(consumer.bindings, envelope.type)) this.enqueue(consumer, { wire, attempt: 1 });
    }
    for (const listener of this.listeners) {
      setImmediate(() => {
        try {
          listener(parseEnvelope(JSON.parse(wire)));
        } catch (error) {
          this.options.logger?.warn({ err: error }, "live event listener failed");
        }
      });
    }
  }

  async consume(
    consumer: string,
    bindings: readonly Binding[],
    handler: DeliveryHandler,
    options: ConsumeOptions,
  ): Promise<void> {
    if (this.consumers.has(consumer)) throw new Error(`consumer "${consumer}" is already consuming`);
    this.consumers.set(consumer, { name: consumer, bindings, handler, options, queue: [], active: 0 });
  }

  /** In-process there is no broker to hold events for a consumer that is not running. */
  async declare(): Promise<void> {}

  async fanout(listener: LiveListener): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
    };
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error("event transport is closed");
  }

  /** What ended in each consumer's dead-letter list (the in-process counterpart of a DLQ). */
  deadLetters(consumer?: string): readonly DeadLetter[] {
    return consumer ? this.deadLetterStore.filter((letter) => letter.consumer === consumer) : this.deadLetterStore;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const consumer of this.consumers.values()) consumer.queue.length = 0;
    // Handlers already running get to finish (and commit) before the database goes away.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.listeners.clear();
  }

  private enqueue(consumer: MemoryConsumer, delivery: PendingDelivery): void {
    consumer.queue.push(delivery);
    this.pump(consumer);
  }

  private pump(consumer: MemoryConsumer): void {
    while (!this.closed && consumer.active < consumer.options.concurrency) {
      const next = consumer.queue.shift();
      if (!next) return;
      consumer.active += 1;
      const running: Promise<void> = this.deliver(consumer, next).finally(() => {
        consumer.active -= 1;
        this.inFlight.delete(running);
        this.pump(consumer);
      });
      this.inFlight.add(running);
    }
  }

  private async deliver(consumer: MemoryConsumer, delivery: PendingDelivery): Promise<void> {
    // Never run a handler inside the publisher's call stack: the relay must not wait on consumers.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let envelope: EventEnvelope;
    try {
      envelope = parseEnvelope(JSON.parse(delivery.wire));
    } catch (error) {
      this.deadLetter(consumer, undefined, delivery.attempt, error);
      return;
    }
    try {
      await consumer.handler(envelope, { attempt: delivery.attempt });
    } catch (error) {
      const outage = waitsOutOutage(error, Date.parse(envelope.occurredAt), consumer.options.outageWindowMs);
      if (!outage && delivery.attempt >= consumer.options.maxAttempts) {
        this.deadLetter(consumer, envelope, delivery.attempt, error);
        return;
      }
      if (this.closed) return;
      const attempt = outage ? delivery.attempt : delivery.attempt + 1;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.enqueue(consumer, { wire: delivery.wire, attempt });
      }, this.retryDelayMs);
      this.timers.add(timer);
    }
  }

  private deadLetter(
    consumer: MemoryConsumer,
    envelope: EventEnvelope | undefined,
    attempts: number,
    error: unknown,
  ): void {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.deadLetterStore.push({ consumer: consumer.name, envelope, attempts, error: reason.slice(0, 500) });
    this.options.logger?.error(
      { consumer: consumer.name, eventId: envelope?.id, attempts },
      "event dead-lettered after its last attempt",
    );
  }
}
