import type { EventEnvelope, EventType } from "../../../shared/events.js";

/**
 * The event transport port. The outbox relay publishes through it; consumers receive through
 * it. RabbitMQ serves production and CI, an in-process transport serves embedded mode, and
 * one contract suite (event-bus.contract.ts) holds both to the same behaviour.
 */

/** An event type a consumer wants, or "*" for every event. */
export type Binding = EventType | "*";

/** Which delivery of this event to this consumer is running: 1 for the first, 2 for the first retry... */
export interface Delivery {
  attempt: number;
}

/** Resolving means "done, acknowledge"; rejecting means "retry later, or dead-letter after the last attempt". */
export type DeliveryHandler = (envelope: EventEnvelope, delivery: Delivery) => Promise<void>;

export interface ConsumeOptions {
  /** Deliveries in total (first one included) before the event goes to the dead-letter queue. */
  maxAttempts: number;
  /** How many events this consumer handles at once (RabbitMQ prefetch). */
  concurrency: number;
  /** For how long after an event occurred an outage is retried without using an attempt (core/outage.ts). */
  outageWindowMs: number;
}

/** Receives every event on a best-effort basis (live updates); must not throw. */
export type LiveListener = (envelope: EventEnvelope) => void;

export interface EventTransport {
  readonly kind: "rabbitmq" | "memory";
  /** Resolves only once the transport has taken responsibility for the event (publisher confirm). */
  publish(envelope: EventEnvelope): Promise<void>;
  /**
   * Starts a durable, named consumer: each event bound to it is delivered at least once,
   * retried with a delay on failure and dead-lettered after `maxAttempts`. Resolves once the
   * consumer's queue is bound (or, while the broker is away, once it is registered for
   * re-declaration on reconnect).
   */
  consume(
    consumer: string,
    bindings: readonly Binding[],
    handler: DeliveryHandler,
    options: ConsumeOptions,
  ): Promise<void>;
  /**
   * Feeds every event to this process only, at most once and never persisted: what live updates
   * need (a browser that misses one refetches), not what durable work needs. Returns a stop function.
   */
  /**
   * Declares a consumer's durable queue and bindings without consuming, so events published
   * before any worker has started (an API process alone, a first deploy) wait in the queue
   * instead of being dropped as unroutable.
   */
  declare(consumer: string, bindings: readonly Binding[]): Promise<void>;
  fanout(listener: LiveListener): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  /** Stops deliveries, lets in-flight handlers finish, then disconnects. */
  close(): Promise<void>;
}

/** Does an event of `type` go to a consumer with these bindings? */
export function bindingsMatch(bindings: readonly Binding[], type: EventType): boolean {
  return bindings.some((binding) => binding === "*" || binding === type);
}

/** Consumer names become queue names: keep them short and plain. */
export function assertConsumerName(consumer: string): void {
  if (!/^[a-z][a-z0-9_-]{0,79}$/.test(consumer)) {
    throw new Error(
      `invalid consumer name "${consumer}": use lower-case letters, digits, "-" or "_" (it becomes a queue name)`,
    );
  }
}
