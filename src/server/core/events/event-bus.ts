import { randomUUID } from "node:crypto";
import {
  type Actor,
  actorSchema,
  type EventEnvelope,
  type EventPayload,
  type EventType,
  eventPayloads,
} from "../../../shared/events.js";
import type { DatabaseHandle } from "../../db/client.js";
import type { Executor, Transaction } from "../../db/database.js";
import { outbox, processedEvents } from "../../db/schema/events.js";
import type { Logger } from "../logger.js";
import { OUTAGE_RETRY_WINDOW_MS } from "../outage.js";
import { type ErrorContext, ErrorReporter } from "./error-reporter.js";
import { OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.js";
import { listenForOutbox, signalOutbox } from "./outbox-signal.js";
import {
  assertConsumerName,
  type Binding,
  bindingsMatch,
  type ConsumeOptions,
  type DeliveryHandler,
  type EventTransport,
} from "./transport.js";

/** Runs inside the consumer's transaction: its writes commit together with the "processed" mark. */
export type EventHandler<T extends EventType> = (envelope: EventEnvelope<T>, tx: Transaction) => Promise<void>;
export type EventListener<T extends EventType> = (envelope: EventEnvelope<T>) => void;

/** What happened to one delivery; feed it to metrics. */
export interface DeliveryObservation {
  consumer: string;
  eventId: string;
  type: EventType;
  attempt: number;
  /** duplicate: already processed (redelivery); ignored: a type this consumer no longer subscribes to. */
  outcome: "handled" | "duplicate" | "ignored" | "failed" | "dead-lettered";
}

export interface EventBusOptions {
  db: DatabaseHandle;
  /** Owned by the bus from here on: `stop()` closes it. */
  transport: EventTransport;
  logger: Logger;
  relay?: Partial<OutboxRelayOptions>;
  /** Run an outbox relay in this process (default true). Several relays may run: they never double-send. */
  runRelay?: boolean;
  /** Defaults for `subscribe`. */
  maxAttempts?: number;
  concurrency?: number;
  onDelivery?: (observation: DeliveryObservation) => void;
}

export interface SubscribeOptions {
  /** Deliveries in total before the event goes to the consumer's dead-letter queue. */
  maxAttempts?: number;
  concurrency?: number;
  /** Defaults to OUTAGE_RETRY_WINDOW_MS: an hour of outage is waited out without using attempts. */
  outageWindowMs?: number;
}

/** A payload (or actor) the catalogue rejects: a bug in the publishing service, caught before anything is written. */
export class InvalidEventError extends Error {
  override name = "InvalidEventError";
  constructor(
    readonly type: string,
    readonly issues: readonly string[],
  ) {
    super(`invalid event "${type}": ${issues.join("; ")}`);
  }
}

interface Subscription {
  name: string;
  bindings: readonly Binding[];
  handler: EventHandler<EventType>;
  options: ConsumeOptions;
}

interface LiveEntry {
  bindings: readonly Binding[];
  listener: EventListener<EventType>;
}

/**
 * The seed's EventBus. Services `publish` inside their own transaction (the event exists if and
 * only if the state change committed); the outbox relay hands committed events to the transport;
 * `subscribe` registers a durable consumer whose handler runs at least once per event, and whose
 * effects land exactly once thanks to the processed-events mark in the same transaction.
 */
export class EventBus {
  private readonly db: DatabaseHandle;
  private readonly transport: EventTransport;
  private readonly logger: Logger;
  private readonly relay: OutboxRelay;
  private readonly errors: ErrorReporter;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly liveListeners = new Set<LiveEntry>();
  private liveFeed: Promise<void> | undefined;
  private stopListening: (() => Promise<void>) | undefined;
  private state: "idle" | "started" | "stopped" = "idle";
  private consuming = true;

  constructor(private readonly options: EventBusOptions) {
    this.db = options.db;
    this.transport = options.transport;
    this.logger = options.logger.child({ component: "events" });
    this.relay = new OutboxRelay(options.db, options.transport, this.logger, options.relay);
    this.errors = new ErrorReporter(
      options.db.db,
      (tx, type, payload, actor) => this.publish(tx, type, payload, actor),
      this.logger,
    );
  }

  /**
   * Writes the event to the outbox in the caller's transaction; it is delivered after that
   * transaction commits, and never if it rolls back. The relay is woken by the commit itself.
   */
  async publish<T extends EventType>(
    tx: Executor,
    type: T,
    payload: EventPayload<T>,
    actor: Actor,
  ): Promise<EventEnvelope<T>> {
    const schema = eventPayloads[type];
    if (!schema) throw new InvalidEventError(String(type), ["unknown event type"]);
    const parsedPayload = schema.safeParse(payload);
    const parsedActor = actorSchema.safeParse(actor);
    const issues = [
      ...(parsedPayload.error?.issues ?? []).map((issue) => `payload.${issue.path.join(".")}: ${issue.message}`),
      ...(parsedActor.error?.issues ?? []).map((issue) => `actor.${issue.path.join(".")}: ${issue.message}`),
    ];
    if (!parsedPayload.success || !parsedActor.success) throw new InvalidEventError(type, issues);
    const envelope = {
      id: randomUUID(),
      type,
      occurredAt: new Date().toISOString(),
      actor: parsedActor.data,
      payload: parsedPayload.data,
    } as EventEnvelope<T>;
    await tx.insert(outbox).values({ id: envelope.id, type, envelope });
    await signalOutbox(tx);
    return envelope;
  }

  /**
   * A durable consumer named `consumer` (its queue survives restarts and collects events while
   * the process is down). Register before `start()`; the handler must be idempotent only with
   * respect to things outside the database, since its database writes commit exactly once.
   */
  subscribe<T extends EventType>(
    consumer: string,
    types: T | readonly T[] | "*",
    handler: EventHandler<T>,
    options: SubscribeOptions = {},
  ): void {
    assertConsumerName(consumer);
    if (this.subscriptions.has(consumer)) throw new Error(`consumer "${consumer}" is already subscribed`);
    const subscription: Subscription = {
      name: consumer,
      bindings: toBindings(types),
      // Safe: deliveries are checked against the bindings before the handler sees them.
      handler: handler as EventHandler<EventType>,
      options: {
        maxAttempts: options.maxAttempts ?? this.options.maxAttempts ?? 5,
        // Each running handler holds a pooled connection for its transaction: keep this modest.
        concurrency: options.concurrency ?? this.options.concurrency ?? 4,
        outageWindowMs: options.outageWindowMs ?? OUTAGE_RETRY_WINDOW_MS,
      },
    };
    this.subscriptions.set(consumer, subscription);
    if (this.state === "started" && this.consuming) {
      this.startConsumer(subscription).catch((error: unknown) =>
        this.logger.error({ err: error, consumer }, "could not start consumer"),
      );
    }
  }

  /**
   * In-process, best-effort listening for live updates (e.g. tRPC subscriptions): every process
   * gets every event it listens for, but one missed while disconnected is not replayed.
   * Listeners must not throw or block. Returns an unsubscribe function.
   */
  listen<T extends EventType>(types: T | readonly T[] | "*", listener: EventListener<T>): () => void {
    const entry: LiveEntry = { bindings: toBindings(types), listener: listener as EventListener<EventType> };
    this.liveListeners.add(entry);
    if (this.state === "started") void this.openLiveFeed();
    return () => {
      this.liveListeners.delete(entry);
    };
  }

  /** Logs the error and publishes `error.occurred` with a safe message. Never throws. */
  reportError(where: string, error: unknown, context?: ErrorContext): Promise<void> {
    return this.errors.report(where, error, context);
  }

  /**
   * Starts the relay and the subscribed consumers. With `consume: false` (an API process whose
   * workers run elsewhere) the consumers' queues are declared but not consumed, so nothing
   * published from here is dropped before a worker first starts.
   */
  async start(options: { consume?: boolean } = {}): Promise<void> {
    if (this.state !== "idle") throw new Error(`event bus is ${this.state}`);
    this.state = "started";
    this.consuming = options.consume ?? true;
    for (const subscription of this.subscriptions.values()) {
      if (this.consuming) await this.startConsumer(subscription);
      else await this.transport.declare(subscription.name, subscription.bindings);
    }
    if (this.liveListeners.size > 0) await this.openLiveFeed();
    if (this.options.runRelay === false) return;
    try {
      this.stopListening = await listenForOutbox(this.db, () => this.relay.wake());
    } catch (error) {
      this.logger.warn({ err: error }, "no outbox notifications; the relay falls back to polling");
    }
    this.relay.start();
  }

  /** Stops the relay (rows stay pending for next time), lets running handlers finish, closes the transport. */
  async stop(): Promise<void> {
    if (this.state !== "started") return;
    this.state = "stopped";
    await this.stopListening?.().catch(() => {});
    await this.relay.stop();
    await this.transport.close();
  }

  /** Committed events not yet handed to the transport. */
  backlog(): Promise<number> {
    return this.relay.backlog();
  }

  /** Age in ms of the oldest committed event not yet handed to the transport (0 when none). */
  oldestPendingAgeMs(): Promise<number> {
    return this.relay.oldestPendingAgeMs();
  }

  /** Pending events older than this mean events are late: health reports them as degraded. */
  get outboxStaleAfterMs(): number {
    return this.relay.staleAfterMs;
  }

  ping(): Promise<void> {
    return this.transport.ping();
  }

  get consumerNames(): string[] {
    return [...this.subscriptions.keys()];
  }

  private startConsumer(subscription: Subscription): Promise<void> {
    return this.transport.consume(
      subscription.name,
      subscription.bindings,
      this.deliveryHandler(subscription),
      subscription.options,
    );
  }

  private deliveryHandler(subscription: Subscription): DeliveryHandler {
    const consumer = subscription.name;
    return async (envelope, delivery) => {
      const observe = (outcome: DeliveryObservation["outcome"]) =>
        this.observe({ consumer, eventId: envelope.id, type: envelope.type, attempt: delivery.attempt, outcome });
      // A durable queue keeps bindings from an older deployment that subscribed to more types.
      if (!bindingsMatch(subscription.bindings, envelope.type)) return observe("ignored");
      try {
        const fresh = await this.db.db.transaction(async (tx) => {
          // The mark and the handler's writes commit together: a redelivery after a commit finds
          // the mark and skips; a failure rolls both back and the retry starts clean. A concurrent
          // duplicate waits on the primary key until the first one commits or rolls back.
          const claimed = await tx
            .insert(processedEvents)
            .values({ consumer, eventId: envelope.id })
            .onConflictDoNothing()
            .returning({ eventId: processedEvents.eventId });
          if (claimed.length === 0) return false;
          await subscription.handler(envelope, tx);
          return true;
        });
        observe(fresh ? "handled" : "duplicate");
      } catch (error) {
        const final = delivery.attempt >= subscription.options.maxAttempts;
        observe(final ? "dead-lettered" : "failed");
        if (envelope.type === "error.occurred") {
          // Reporting would publish another error.occurred to this same failing consumer: a loop.
          this.logger.error({ err: error, consumer, eventId: envelope.id }, "error.occurred consumer failed");
        } else {
          await this.errors.report(`consumer:${consumer}`, error);
        }
        throw error;
      }
    };
  }

  private openLiveFeed(): Promise<void> {
    this.liveFeed ??= this.transport
      .fanout((envelope) => this.emitLive(envelope))
      .then(
        () => undefined,
        (error: unknown) => {
          this.liveFeed = undefined;
          this.logger.error({ err: error }, "could not open the live event feed");
        },
      );
    return this.liveFeed;
  }

  private emitLive(envelope: EventEnvelope): void {
    for (const entry of this.liveListeners) {
      if (!bindingsMatch(entry.bindings, envelope.type)) continue;
      try {
        entry.listener(envelope);
      } catch (error) {
        this.logger.warn({ err: error }, "live event listener threw");
      }
    }
  }

  private observe(observation: DeliveryObservation): void {
    try {
      this.options.onDelivery?.(observation);
    } catch (error) {
      this.logger.warn({ err: error }, "delivery observer threw");
    }
  }
}

function toBindings<T extends EventType>(types: T | readonly T[] | "*"): Binding[] {
  if (types === "*") return ["*"];
  const list: readonly T[] = typeof types === "string" ? [types] : types;
  if (list.length === 0) throw new Error("subscribe to at least one event type");
  return [...new Set(list)];
}
