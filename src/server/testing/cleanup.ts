import { connect } from "amqplib";
import { Redis } from "ioredis";
import { rabbitNames } from "../core/events/rabbitmq-transport.js";
import { AUDIT_CONSUMER } from "../services/audit/audit-service.js";
import { SESSION_SYNC_CONSUMER } from "../services/auth/session-sync.js";
import { USER_CACHE_CONSUMER } from "../services/users/cache-invalidation.js";
import { testServiceUrls } from "./services.js";

/** Consumers a whole app declares; their queues are removed with the namespace. */
const APP_CONSUMERS = [AUDIT_CONSUMER, SESSION_SYNC_CONSUMER, USER_CACHE_CONSUMER];

/**
 * Removes what an app run under `namespace` left on the shared services: Redis keys
 * (cache, sessions, rate limits, BullMQ) and RabbitMQ's exchange and durable queues.
 */
export async function cleanupNamespace(namespace: string, extraConsumers: string[] = []): Promise<void> {
  const redis = new Redis(testServiceUrls.redis, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${namespace}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }

  const names = rabbitNames(namespace);
  const connection = await connect(testServiceUrls.amqp);
  try {
    const channel = await connection.createChannel();
    for (const consumer of [...APP_CONSUMERS, ...extraConsumers]) {
      for (const queue of [names.queue(consumer), names.retryQueue(consumer), names.deadLetterQueue(consumer)]) {
        await channel.deleteQueue(queue);
      }
    }
    await channel.deleteExchange(names.exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
}
