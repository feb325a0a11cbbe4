import {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  connect,
  type Options,
  type RecoveringChannelModel,
} from "amqplib";
import { type EventEnvelope, parseEnvelope } from "../../../shared/events.js";
import { connecting, withTimeout } from "../../utils/startup-error.js";
import type { Logger } from "../logger.js";
import { waitsOutOutage } from "../outage.js";
import {
  assertConsumerName,
  type Binding,
  type ConsumeOptions,
  type DeliveryHandler,
  type EventTransport,
  type LiveListener,
} from "./transport.js";

export interface RabbitMqTransportOptions {
  url: string;
  /** Prefix of every exchange and queue, so two deployments (or test runs) never share one. */
  namespace: string;
  logger: Logger;
  /** Pause before a failed event is delivered again (per-message TTL on the retry queue). */
  retryDelayMs?: number;
  /** A publish not confirmed within this counts as failed; the relay keeps the row pending. */
  publishTimeoutMs?: number;
  /** How long `connect` waits for the first connection before giving up with a StartupError. */
  connectTimeoutMs?: number;
  /**
   * false: `connect` returns at once and connects in the background, so a process can boot while
   * RabbitMQ is down (events wait in the outbox). Default true: fail fast on a wrong AMQP_URL.
   */
  waitForConnect?: boolean;
  /** Reconnect backoff: starts at `initialDelayMs`, doubles, capped at `maxDelayMs`. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  heartbeatSeconds?: number;
}

/** Every RabbitMQ name the transport uses, derived from the namespace. */
export function rabbitNames(namespace: string) {
  return {
    exchange: `${namespace}.events`,
    queue: (consumer: string) => `${namespace}.${consumer}`,
    retryQueue: (consumer: string) => `${namespace}.${consumer}.retry`,
    deadLetterQueue: (consumer: string) => `${namespace}.${consumer}.dlq`,
  };
}

/** Which delivery this is; absent on the first one. Survives restarts because it travels with the message. */
const ATTEMPT_HEADER = "x-gantry-attempt";
const ERROR_HEADER = "x-gantry-error";

interface RegisteredConsumer {
  name: string;
  bindings: readonly Binding[];
  handler: DeliveryHandler;
  options: ConsumeOptions;
}

/** Everything that belongs to one connection; thrown away as a whole when the connection goes. */
interface Session {
  model: ChannelModel;
  publisher: ConfirmChannel;
  consumers: Map<string, { channel: ConfirmChannel; consumerTag: string }>;
  fanouts: Map<LiveListener, Channel>;
  dead: boolean;
}

/**
 * RabbitMQ through amqplib 2, whose built-in recovery reconnects with capped, jittered backoff
 * and calls `setup` after every connection. Channels do not survive a reconnect, so `setup`
 * declares the topology again and resumes every consumer; any channel the broker closes on its
 * own forces a reconnect, which is the one recovery path to reason about.
 *
 * Topology per consumer: a durable queue bound to its event types, a retry queue whose messages
 * expire back into it after `retryDelayMs` (so retries wait without holding a prefetch slot),
 * and a dead-letter queue. Failed deliveries are re-published with an attempt header and only
 * then acknowledged, so the count survives restarts and no message is ever dropped.
 */
export class RabbitMqTransport implements EventTransport {
  readonly kind = "rabbitmq";
  readonly names: ReturnType<typeof rabbitNames>;
  private recovering: RecoveringChannelModel | undefined;
  private session: Session | undefined;
  private readonly consumers = new Map<string, RegisteredConsumer>();
  /** Consumers whose queues this process declares but does not consume (an API without workers). */
  private readonly declared = new Map<string, readonly Binding[]>();
  private readonly listeners = new Set<LiveListener>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Channels we close on purpose, whose "close" must not trigger a reconnect. */
  private readonly retiring = new WeakSet<Channel>();
  private serial: Promise<unknown> = Promise.resolve();
  private closing = false;
  private readonly retryDelayMs: number;
  private readonly publishTimeoutMs: number;
  private readonly logger: Logger;

  private constructor(private readonly options: RabbitMqTransportOptions) {
    this.names = rabbitNames(options.namespace);
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
    this.logger = options.logger.child({ component: "rabbitmq" });
  }

  /** Connects (failing with a StartupError naming AMQP_URL if RabbitMQ cannot be reached at all). */
  static async connect(options: RabbitMqTransportOptions): Promise<RabbitMqTransport> {
    const transport = new RabbitMqTransport(options);
    await connecting("AMQP_URL", "RabbitMQ", () => transport.open());
    return transport;
  }

  private async open(): Promise<void> {
    const url = new URL(this.options.url);
    if (!url.searchParams.has("heartbeat"))
      url.searchParams.set("heartbeat", String(this.options.heartbeatSeconds ?? 15));
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 10_000;
    let lastFailure: Error | undefined;
    const recovering = await connect(url.toString(), {
      timeout: Math.min(connectTimeoutMs, 5000),
      clientProperties: { connection_name: `gantry:${this.options.namespace}` },
      recovery: {
        initialDelay: this.options.reconnect?.initialDelayMs ?? 100,
        maxDelay: this.options.reconnect?.maxDelayMs ?? 10_000,
        waitForConnect: false,
        setup: (model: ChannelModel) => this.setup(model),
      },
    });
    this.recovering = recovering;
    recovering.on("error", (error) => this.logger.warn({ err: error }, "RabbitMQ connection error"));
    recovering.on("connect-failed", (error) => {
      lastFailure = error;
      this.logger.debug({ err: error }, "RabbitMQ connection attempt failed");
    });
    recovering.on("disconnect", (error) => {
      if (this.session) this.session.dead = true;
      this.session = undefined;
      this.logger.warn({ err: error }, "RabbitMQ connection lost; reconnecting");
    });
    recovering.on("connect", () => this.logger.info("RabbitMQ connected"));
    if (this.options.waitForConnect === false) return;
    try {
      await withTimeout(recovering.waitForConnect(), connectTimeoutMs, "RabbitMQ connection");
    } catch (error) {
      await recovering.close().catch(() => {});
      throw lastFailure ?? error;
    }
  }

  async publish(envelope: EventEnvelope): Promise<void> {
    const session = this.session;
    if (!session || this.closing) throw new Error("RabbitMQ is not connected");
    const content = Buffer.from(JSON.stringify(envelope));
    await this.confirmed(
      (callback) =>
        session.publisher.publish(this.names.exchange, envelope.type, content, messageOptions(envelope), callback),
      "RabbitMQ publisher confirm",
    );
  }

  async consume(
    consumer: string,
    bindings: readonly Binding[],
    handler: DeliveryHandler,
    options: ConsumeOptions,
  ): Promise<void> {
    assertConsumerName(consumer);
    await this.exclusive(async () => {
      if (this.consumers.has(consumer)) throw new Error(`consumer "${consumer}" is already consuming`);
      const registered = { name: consumer, bindings, handler, options };
      this.consumers.set(consumer, registered);
      const session = this.session;
      if (!session) return; // set up by `setup` once the connection is back
      try {
        await this.startConsumer(session, registered);
      } catch (error) {
        this.logger.warn({ err: error, consumer }, "could not start consumer; reconnecting to retry");
        this.abandon(session);
      }
    });
  }

  async declare(consumer: string, bindings: readonly Binding[]): Promise<void> {
    assertConsumerName(consumer);
    await this.exclusive(async () => {
      this.declared.set(consumer, bindings);
      const session = this.session;
      if (!session) return; // declared by `setup` once the connection is back
      try {
        await this.declareTopology(session.publisher, consumer, bindings);
      } catch (error) {
        this.logger.warn({ err: error, consumer }, "could not declare consumer queue; reconnecting to retry");
        this.abandon(session);
      }
    });
  }

  async fanout(listener: LiveListener): Promise<() => Promise<void>> {
    await this.exclusive(async () => {
      this.listeners.add(listener);
      const session = this.session;
      if (!session) return;
      try {
        await this.startFanout(session, listener);
      } catch (error) {
        this.logger.warn({ err: error }, "could not start live event feed; reconnecting to retry");
        this.abandon(session);
      }
    });
    return () =>
      this.exclusive(async () => {
        this.listeners.delete(listener);
        const channel = this.session?.fanouts.get(listener);
        if (!channel) return;
        this.session?.fanouts.delete(listener);
        this.retiring.add(channel);
        await channel.close().catch(() => {});
      });
  }

  async ping(): Promise<void> {
    const session = this.session;
    if (!session) throw new Error("RabbitMQ is not connected");
    await session.publisher.checkExchange(this.names.exchange);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const session = this.session;
    if (session) {
      // Stop new deliveries first, then let running handlers finish and ack on a live channel.
      for (const { channel, consumerTag } of session.consumers.values()) {
        await channel.cancel(consumerTag).catch(() => {});
      }
    }
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.session = undefined;
    await this.recovering?.close();
  }

  /** Runs after every (re)connection, before the connection counts as up. A throw here makes amqplib retry. */
  private setup(model: ChannelModel): Promise<void> {
    // Until recovery binds its own listeners, an "error" with no listener would crash the process.
    model.on("error", () => {});
    return this.exclusive(async () => {
      if (this.closing) throw new Error("closing");
      const publisher = await model.createConfirmChannel();
      const session: Session = { model, publisher, consumers: new Map(), fanouts: new Map(), dead: false };
      this.watch(session, publisher, "publisher");
      await publisher.assertExchange(this.names.exchange, "topic", { durable: true });
      for (const [consumer, bindings] of this.declared) await this.declareTopology(publisher, consumer, bindings);
      for (const consumer of this.consumers.values()) await this.startConsumer(session, consumer);
      for (const listener of this.listeners) await this.startFanout(session, listener);
      if (session.dead) throw new Error("a channel closed during setup");
      this.session = session;
    });
  }

  /** The exchange, the consumer's durable queue with its bindings, its retry and dead-letter queues. */
  private async declareTopology(channel: Channel, consumer: string, bindings: readonly Binding[]): Promise<void> {
    const { exchange } = this.names;
    const queue = this.names.queue(consumer);
    await channel.assertExchange(exchange, "topic", { durable: true });
    await channel.assertQueue(queue, { durable: true });
    await channel.assertQueue(this.names.retryQueue(consumer), {
      durable: true,
      deadLetterExchange: "",
      deadLetterRoutingKey: queue,
    });
    await channel.assertQueue(this.names.deadLetterQueue(consumer), { durable: true });
    for (const binding of bindings) {
      await channel.bindQueue(queue, exchange, binding === "*" ? "#" : binding);
    }
  }

  private async startConsumer(session: Session, consumer: RegisteredConsumer): Promise<void> {
    const queue = this.names.queue(consumer.name);
    const channel = await session.model.createConfirmChannel();
    this.watch(session, channel, consumer.name);
    await channel.prefetch(consumer.options.concurrency);
    await this.declareTopology(channel, consumer.name, consumer.bindings);
    const { consumerTag } = await channel.consume(
      queue,
      (message) => {
        if (message === null) return this.cancelledByBroker(session, consumer.name);
        this.track(this.handle(channel, consumer, message));
      },
      { noAck: false },
    );
    session.consumers.set(consumer.name, { channel, consumerTag });
  }

  private async startFanout(session: Session, listener: LiveListener): Promise<void> {
    const channel = await session.model.createChannel();
    this.watch(session, channel, "live");
    await channel.assertExchange(this.names.exchange, "topic", { durable: true });
    // Server-named, exclusive: it belongs to this connection and vanishes with it.
    const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true, durable: false });
    await channel.bindQueue(queue, this.names.exchange, "#");
    await channel.consume(
      queue,
      (message) => {
        if (message === null) return this.cancelledByBroker(session, "live");
        try {
          listener(parseEnvelope(JSON.parse(message.content.toString("utf8"))));
        } catch (error) {
          this.logger.warn({ err: error }, "live event listener failed");
        }
      },
      { noAck: true },
    );
    session.fanouts.set(listener, channel);
  }

  private async handle(channel: ConfirmChannel, consumer: RegisteredConsumer, message: ConsumeMessage): Promise<void> {
    const attempt = attemptOf(message);
    let envelope: EventEnvelope;
    try {
      envelope = parseEnvelope(JSON.parse(message.content.toString("utf8")));
    } catch (error) {
      // Retrying cannot fix a malformed message: straight to the dead-letter queue.
      this.logger.error({ err: error, consumer: consumer.name }, "malformed event message dead-lettered");
      await this.moveTo(channel, this.names.deadLetterQueue(consumer.name), message, attempt, error);
      return;
    }
    try {
      await consumer.handler(envelope, { attempt });
    } catch (error) {
      if (waitsOutOutage(error, Date.parse(envelope.occurredAt), consumer.options.outageWindowMs)) {
        await this.moveTo(channel, this.names.retryQueue(consumer.name), message, attempt);
      } else if (attempt < consumer.options.maxAttempts) {
        await this.moveTo(channel, this.names.retryQueue(consumer.name), message, attempt + 1);
      } else {
        this.logger.error(
          { consumer: consumer.name, eventId: envelope.id, type: envelope.type, attempts: attempt },
          "event dead-lettered after its last attempt",
        );
        await this.moveTo(channel, this.names.deadLetterQueue(consumer.name), message, attempt, error);
      }
      return;
    }
    ack(channel, message);
  }

  /** Re-publishes a delivery (to the retry or dead-letter queue), and acks the original only once confirmed. */
  private async moveTo(
    channel: ConfirmChannel,
    queue: string,
    message: ConsumeMessage,
    attempt: number,
    error?: unknown,
  ): Promise<void> {
    const headers: Record<string, unknown> = { [ATTEMPT_HEADER]: attempt };
    if (error !== undefined) headers[ERROR_HEADER] = describeError(error);
    const options: Options.Publish = {
      persistent: true,
      contentType: message.properties.contentType,
      messageId: message.properties.messageId,
      type: message.properties.type,
      timestamp: message.properties.timestamp,
      headers,
    };
    // Only the retry queue has the dead-letter route back; in the DLQ the message stays put.
    if (error === undefined) options.expiration = String(this.retryDelayMs);
    try {
      await this.confirmed(
        (callback) => channel.sendToQueue(queue, message.content, options, callback),
        "RabbitMQ retry confirm",
      );
    } catch (publishError) {
      this.logger.warn({ err: publishError, queue }, "could not move event; it will be redelivered");
      try {
        // Back to the queue as it was (same attempt count), rather than stuck unacked.
        channel.nack(message, false, true);
      } catch {
        // The channel is gone: the broker redelivers unacked messages by itself.
      }
      return;
    }
    ack(channel, message);
  }

  private confirmed(send: (callback: (error: unknown) => void) => void, what: string): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve, reject) => {
        // A send on a closed channel throws synchronously; inside the executor that rejects.
        send((error) => (error ? reject(error instanceof Error ? error : new Error(`${what}: nacked`)) : resolve()));
      }),
      this.publishTimeoutMs,
      what,
    );
  }

  private watch(session: Session, channel: Channel, name: string): void {
    channel.on("error", (error) => this.logger.warn({ err: error, channel: name }, "RabbitMQ channel error"));
    channel.on("close", () => {
      // Deferred: when the whole connection drops, its channels close first and the connection's
      // own "close" (which marks the session dead) follows in the same tick. Only a channel that
      // closed on its own, on a live connection, needs us to force the reconnect.
      setImmediate(() => {
        if (this.closing || this.retiring.has(channel) || session.dead) return;
        this.logger.warn({ channel: name }, "RabbitMQ channel closed unexpectedly; reconnecting");
        this.abandon(session);
      });
    });
  }

  private cancelledByBroker(session: Session, name: string): void {
    if (this.closing || session.dead) return;
    // E.g. someone deleted the queue: reconnecting declares it again and resumes consuming.
    this.logger.warn({ consumer: name }, "RabbitMQ cancelled a consumer; reconnecting");
    this.abandon(session);
  }

  /** Closing the connection hands control to amqplib's recovery, which reconnects and re-runs setup. */
  private abandon(session: Session): void {
    if (session.dead) return;
    session.dead = true;
    if (this.session === session) this.session = undefined;
    session.model.close().catch(() => {});
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.logger.error({ err: error }, "event delivery failed"));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  /** Setup, consume and fanout all change the session; one at a time keeps them from interleaving. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serial.then(work, work);
    this.serial = run.catch(() => undefined);
    return run;
  }
}

function messageOptions(envelope: EventEnvelope): Options.Publish {
  return {
    persistent: true,
    contentType: "application/json",
    messageId: envelope.id,
    type: envelope.type,
    timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000),
  };
}

function attemptOf(message: ConsumeMessage): number {
  const value = Number(message.properties.headers?.[ATTEMPT_HEADER] ?? 1);
  return Number.isInteger(value) && value >= 1 ? value : 1;
}

function ack(channel: Channel, message: ConsumeMessage): void {
  try {
    channel.ack(message);
  } catch {
    // The channel closed under us: the broker redelivers, and consumers are idempotent by event id.
  }
}

function describeError(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}
