import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Config } from "./config.js";
import { Cache, type CacheStore, MemoryCacheStore, RedisCacheStore } from "./core/cache/index.js";
import { EventBus, openEventTransport } from "./core/events/index.js";
import type { DependencyProbe } from "./core/health.js";
import { createLogger, type Logger } from "./core/logger.js";
import { FileMailer } from "./core/mail/file-mailer.js";
import type { Mailer } from "./core/mail/mailer.js";
import { SmtpMailer } from "./core/mail/smtp-mailer.js";
import { Metrics } from "./core/metrics.js";
import { builtinJobHandlers } from "./core/queue/builtin-jobs.js";
import { BullmqJobQueue } from "./core/queue/bullmq-queue.js";
import { JobDispatcher } from "./core/queue/job-dispatcher.js";
import { JobOutbox } from "./core/queue/job-outbox.js";
import { MemoryJobQueue } from "./core/queue/memory-queue.js";
import type { JobQueue, JobWorker } from "./core/queue/port.js";
import { createRateLimiter } from "./core/rate-limit.js";
import { connectRedis, createRedisClient, type Redis } from "./core/redis.js";
import { resolveSecrets } from "./core/secrets.js";
import { PgliteBulk } from "./db/bulk/pglite.js";
import type { BulkDriver } from "./db/bulk/port.js";
import { PostgresBulk } from "./db/bulk/postgres.js";
import { type DatabaseHandle, openDatabase, pgliteDirFor } from "./db/client.js";
import { CopyExports } from "./db/copy-exports.js";
import { runMigrations } from "./db/migrate.js";
import type { AppDeps } from "./deps.js";
import { accountRoutes } from "./http/account-routes.js";
import { datasetsRoutes } from "./http/datasets-routes.js";
import { paymentWebhookRoutes } from "./http/payment-webhooks.js";
import { closeGracefully, createHttpServer } from "./http/server.js";
import { ssoRoutes } from "./http/sso-routes.js";
import { accountJobHandlers, createAccount, registerAccountConsumers } from "./services/account/module.js";
import { createAudit } from "./services/audit/module.js";
import { authJobHandlers } from "./services/auth/jobs.js";
import { MemoryLiveSessionStore, RedisLiveSessionStore } from "./services/auth/live-sessions.js";
import { createAuth } from "./services/auth/module.js";
import { registerSessionSync } from "./services/auth/session-sync.js";
import { paymentJobHandlers, schedulePaymentJobs } from "./services/payments/jobs.js";
import { createPayments } from "./services/payments/module.js";
import type { PaymentProvider } from "./services/payments/provider.js";
import { SandboxProvider } from "./services/payments/providers/sandbox.js";
import { StripeProvider } from "./services/payments/providers/stripe.js";
import { createPipelines, pipelineJobHandlers, startPipelineWorkers } from "./services/pipelines/module.js";
import { registerUserCacheInvalidation } from "./services/users/cache-invalidation.js";
import { createUsers } from "./services/users/module.js";

export interface GantryOptions {
  /** Serve HTTP (API, WebSocket, client). */
  http: boolean;
  /** Run BullMQ jobs and event consumers in this process. */
  workers: boolean;
  logger?: Logger;
  /** Where embedded PGlite keeps its files; tests pass "memory://" (much faster to create). */
  pgliteDir?: string;
}

export interface Gantry {
  deps: AppDeps;
  http: FastifyInstance | undefined;
  /** Starts consumers and workers, then listens; resolves with the address (or "workers"). */
  listen(): Promise<string>;
  /** Stops accepting, drains requests and jobs, closes every connection. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The composition root: the one place that reads the config to choose adapters (real
 * services or embedded defaults) and wires repositories, services and transports together.
 */
export async function createGantry(config: Config, options: GantryOptions): Promise<Gantry> {
  const logger = options.logger ?? createLogger(config);
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  };

  try {
    const database = await openDatabase({
      url: config.databaseUrl,
      connectTimeoutMs: config.databaseConnectTimeoutMs,
      pgliteDir: options.pgliteDir ?? pgliteDirFor(config.dataDir),
    });
    closers.push(() => database.close());
    await runMigrations(database);
    const secrets = await resolveSecrets(config, database);

    const redis = config.redisUrl ? await openRedis(config, config.redisUrl, closers) : undefined;
    const cacheStore = await openCacheStore(config, logger, closers);
    const cache = new Cache(cacheStore, { logger });

    const transport = await openEventTransport({ amqpUrl: config.amqpUrl, namespace: config.namespace, logger });
    const metrics = new Metrics();
    const deliveries = metrics.counter("gantry_event_deliveries_total", "Event deliveries by consumer and outcome", [
      "consumer",
      "outcome",
    ]);
    const events = new EventBus({
      db: database,
      transport,
      logger,
      relay: { staleAfterMs: config.outboxStaleAfterMs },
      onDelivery: ({ consumer, outcome }) => deliveries.inc({ consumer, outcome }),
    });
    closers.push(() => events.stop());

    const queue = await openQueue(config, logger, closers);
    // Jobs are written to PostgreSQL with the state that needs them; this hands them to the queue.
    const dispatcher = new JobDispatcher(database, queue, logger.child({ component: "job-dispatcher" }));
    await dispatcher.start();
    closers.push(() => dispatcher.stop());

    metrics.gauge("gantry_outbox_backlog", "Events written but not yet published", [], async (gauge) => {
      gauge.set(await events.backlog());
    });
    metrics.gauge("gantry_job_outbox_backlog", "Jobs written but not yet handed to the queue", [], async (gauge) => {
      gauge.set(await dispatcher.backlog());
    });
    metrics.gauge(
      "gantry_outbox_oldest_pending_seconds",
      "Age of the oldest event not yet published (0 when none)",
      [],
      async (gauge) => {
        gauge.set((await events.oldestPendingAgeMs()) / 1000);
      },
    );
    metrics.gauge("gantry_queue_jobs", "Jobs by state", ["state"], async (gauge) => {
      for (const [state, value] of Object.entries(await queue.counts())) gauge.set({ state }, value);
    });

    // Each domain's module builds its repositories and use cases; this file picks the adapters.
    const db = database.db;
    const limiter = (name: string, points: number, durationSeconds: number) =>
      createRateLimiter({ name, points, durationSeconds, redis, namespace: config.namespace });
    const mailer = mailerFor(config, logger, closers);
    const { auth, sessions, passkeys, sso } = createAuth({
      db,
      events,
      mailer,
      queue,
      liveSessions: redis ? new RedisLiveSessionStore(redis, config.namespace) : new MemoryLiveSessionStore(),
      limiter,
      jwtSecret: secrets.jwt,
      twoFactorKey: secrets.twoFactor,
      requireAdminTwoFactor: config.twoFactor.requireForAdmins,
      publicUrl: config.publicUrl,
      relyingParty: config.webauthn,
      logger,
      sso: config.sso,
    });
    const users = createUsers({ db, cache, events, sessions });
    const audit = createAudit({ db, events });
    const payments = createPayments({
      db,
      events,
      providers: paymentProvidersFor(config, secrets.sandboxWebhook, new JobOutbox(db)),
      defaultProvider: config.payments.defaultProvider,
      maxAmount: config.payments.maxAmount,
      logger,
    });
    const bulk = bulkDriverFor(database);
    const exports = new CopyExports(database, config.exports);
    const pipelines = createPipelines({ config, db, bulk, exports, events, queue, logger });
    const accountModule = createAccount({
      config,
      db,
      events,
      mailer,
      queue,
      cache,
      sessions,
      pipelines,
      limiter,
      logger,
    });
    const reportError = (where: string, error: unknown, requestId?: string) => {
      void events.reportError(where, error, requestId ? { requestId } : undefined);
    };

    const deps: AppDeps = {
      config,
      logger,
      database,
      bulk,
      exports,
      metrics,
      probes: probesFor(config, database, cacheStore, events, queue),
      apiRateLimiter: createRateLimiter({
        name: "api",
        points: config.rateLimitPerMinute,
        durationSeconds: 60,
        redis,
        namespace: config.namespace,
      }),
      reportError,
      events,
      queue,
      cache,
      auth,
      passkeys,
      sso,
      users,
      audit,
      payments,
      pipelines,
      account: accountModule.account,
    };

    if (config.admin) await auth.ensureAdmin(config.admin.email, config.admin.password);

    const http = options.http
      ? await createHttpServer(deps, {
          routes: [paymentWebhookRoutes(deps), datasetsRoutes(deps), ssoRoutes(deps), accountRoutes(deps)],
        })
      : undefined;
    let worker: JobWorker | undefined;
    let stopped: Promise<void> | undefined;

    return {
      deps,
      http,
      async listen() {
        // Every process knows the consumers, so their queues exist before anything is published;
        // only worker processes consume.
        audit.register();
        registerSessionSync(events, sessions);
        registerUserCacheInvalidation(events, cache);
        registerAccountConsumers(events, accountModule);
        if (options.workers) {
          worker = await queue.process(
            {
              ...builtinJobHandlers,
              ...authJobHandlers(auth),
              ...paymentJobHandlers(payments),
              ...pipelineJobHandlers(pipelines),
              ...accountJobHandlers(accountModule),
            },
            { concurrency: 2 },
          );
          await schedulePaymentJobs(queue);
          await startPipelineWorkers(pipelines);
        }
        await events.start({ consume: options.workers });
        if (!http) return "workers";
        return http.listen({ host: config.host, port: config.port });
      },
      stop() {
        stopped ??= (async () => {
          if (http) await closeGracefully(http);
          await worker?.close({ timeoutMs: config.shutdownTimeoutMs / 2 });
          await closeAll();
        })();
        return stopped;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Payment providers chosen from the config: the sandbox unless disabled, Stripe when its secrets are set. */
function paymentProvidersFor(
  config: Config,
  sandboxWebhookSecret: string | undefined,
  jobs: JobOutbox,
): PaymentProvider[] {
  const settings = config.payments;
  const providers: PaymentProvider[] = [];
  if (settings.sandbox && sandboxWebhookSecret) {
    providers.push(
      new SandboxProvider({
        // Settlements go through the job outbox: a charge never waits for Redis.
        queue: jobs,
        // SANDBOX_WEBHOOK_SECRET, or one generated for this deployment: never one from the code.
        webhookSecret: sandboxWebhookSecret,
        settleDelayMs: settings.sandbox.settleDelayMs,
        delayedSettleMs: settings.sandbox.delayedSettleMs,
      }),
    );
  }
  if (settings.stripe) providers.push(new StripeProvider(settings.stripe));
  return providers;
}

/** The one place that asks which driver runs, for what COPY and cancelling a statement need. */
function bulkDriverFor(database: DatabaseHandle): BulkDriver {
  const { driver } = database;
  return driver.kind === "postgres" ? new PostgresBulk(driver.sql) : new PgliteBulk(driver.pglite);
}

async function openRedis(config: Config, url: string, closers: Array<() => Promise<void>>): Promise<Redis> {
  const redis = createRedisClient(url, {
    name: "gantry-app",
    purpose: "fail-fast",
    commandTimeoutMs: config.redisCommandTimeoutMs,
  });
  // Reconnects happen by themselves; without a listener ioredis would print each failure.
  redis.on("error", () => {});
  await connectRedis(redis);
  closers.push(async () => {
    redis.disconnect();
  });
  return redis;
}

async function openCacheStore(
  config: Config,
  logger: Logger,
  closers: Array<() => Promise<void>>,
): Promise<CacheStore> {
  if (!config.redisUrl) return new MemoryCacheStore();
  const store = new RedisCacheStore({
    url: config.redisUrl,
    keyPrefix: `${config.namespace}:cache:`,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    logger,
  });
  closers.push(() => store.close());
  await store.connect();
  return store;
}

async function openQueue(config: Config, logger: Logger, closers: Array<() => Promise<void>>): Promise<JobQueue> {
  const onError = (error: unknown, context: string) => logger.warn({ err: error, context }, "job queue error");
  if (!config.redisUrl) {
    const queue = new MemoryJobQueue({ onError });
    closers.push(() => queue.close({ timeoutMs: config.shutdownTimeoutMs / 2 }));
    return queue;
  }
  const queue = new BullmqJobQueue({
    redisUrl: config.redisUrl,
    namespace: config.namespace,
    onError,
    // A crashed worker's jobs go to another worker after this long.
    lockDurationMs: config.queueLockMs,
    stalledIntervalMs: config.queueLockMs,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    operationTimeoutMs: config.redisCommandTimeoutMs * 2,
  });
  closers.push(() => queue.close({ timeoutMs: config.shutdownTimeoutMs / 2 }));
  await queue.connect();
  return queue;
}

function mailerFor(config: Config, logger: Logger, closers: Array<() => Promise<void>>): Mailer {
  const mailer = config.smtpUrl
    ? new SmtpMailer(config.smtpUrl, config.mailFrom)
    : new FileMailer(join(config.dataDir, "mail"), config.mailFrom, logger);
  closers.push(() => mailer.close());
  return mailer;
}

function probesFor(
  config: Config,
  database: DatabaseHandle,
  cacheStore: CacheStore,
  events: EventBus,
  queue: JobQueue,
): DependencyProbe[] {
  return [
    { name: "database", adapter: database.kind, critical: true, ping: async () => void (await database.ping()) },
    { name: "cache", adapter: config.redisUrl ? "redis" : "memory", ping: async () => void (await cacheStore.ping()) },
    { name: "events", adapter: config.amqpUrl ? "rabbitmq" : "in-process", ping: () => eventsHealth(events) },
    {
      name: "queue",
      adapter: config.redisUrl ? "bullmq" : "in-process",
      ping: async () => void (await queue.counts()),
    },
  ];
}

/** The broker answers, and events do not wait in the outbox longer than they should. */
async function eventsHealth(events: EventBus): Promise<undefined | { degraded: string }> {
  await events.ping();
  const ageMs = await events.oldestPendingAgeMs();
  if (ageMs <= events.outboxStaleAfterMs) return undefined;
  return { degraded: `oldest unpublished event waited ${Math.round(ageMs / 1000)} s` };
}
