import type { Logger } from "../logger.js";
import { MemoryTransport } from "./memory-transport.js";
import { RabbitMqTransport } from "./rabbitmq-transport.js";
import type { EventTransport } from "./transport.js";

export interface TransportConfig {
  /** amqp:// URL; absent means the in-process transport (embedded mode). */
  amqpUrl: string | undefined;
  namespace: string;
  logger: Logger;
  /** See RabbitMqTransportOptions.waitForConnect. */
  waitForConnect?: boolean;
}

/** The composition root's one call: RabbitMQ when configured, in-process otherwise. */
export async function openEventTransport(config: TransportConfig): Promise<EventTransport> {
  if (!config.amqpUrl) return new MemoryTransport({ logger: config.logger });
  return RabbitMqTransport.connect({
    url: config.amqpUrl,
    namespace: config.namespace,
    logger: config.logger,
    waitForConnect: config.waitForConnect ?? true,
  });
}
