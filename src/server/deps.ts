import type { Config } from "./config.js";
import type { Cache } from "./core/cache/index.js";
import type { EventBus } from "./core/events/index.js";
import type { DependencyProbe } from "./core/health.js";
import type { Logger } from "./core/logger.js";
import type { Metrics } from "./core/metrics.js";
import type { JobQueue } from "./core/queue/port.js";
import type { RateLimiter } from "./core/rate-limit.js";
import type { DatabaseHandle } from "./db/client.js";
import type { AuditService } from "./services/audit/audit-service.js";
import type { AuthService } from "./services/auth/auth-service.js";
import type { PaymentsService } from "./services/payments/payments-service.js";
import type { Pipelines } from "./services/pipelines/module.js";
import type { UsersService } from "./services/users/users-service.js";

/**
 * Everything the composition root (app.ts) wires together. Procedures reach adapters only
 * through this object, never through module-level singletons, so tests can build a whole
 * app against whichever adapters they need.
 */
export interface AppDeps {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  metrics: Metrics;
  probes: DependencyProbe[];
  apiRateLimiter: RateLimiter;
  events: EventBus;
  queue: JobQueue;
  cache: Cache;
  auth: AuthService;
  users: UsersService;
  audit: AuditService;
  payments: PaymentsService;
  pipelines: Pipelines;
  /** Logs an unexpected error and publishes `error.occurred`; never throws. */
  reportError(where: string, error: unknown, requestId?: string): void;
}
