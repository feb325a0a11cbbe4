import type { Config } from "./config.js";
import type { Cache } from "./core/cache/index.js";
import type { EventBus } from "./core/events/index.js";
import type { DependencyProbe } from "./core/health.js";
import type { Logger } from "./core/logger.js";
import type { Metrics } from "./core/metrics.js";
import type { JobQueue } from "./core/queue/port.js";
import type { RateLimiter } from "./core/rate-limit.js";
import type { BulkDriver } from "./db/bulk/port.js";
import type { DatabaseHandle } from "./db/client.js";
import type { CopyExports } from "./db/copy-exports.js";
import type { AccountService } from "./services/account/account-service.js";
import type { AuditService } from "./services/audit/audit-service.js";
import type { AuthService } from "./services/auth/auth-service.js";
import type { PasskeyService } from "./services/auth/passkeys.js";
import type { SingleSignOn } from "./services/auth/single-sign-on.js";
import type { PaymentsService } from "./services/payments/payments-service.js";
import type { Pipelines } from "./services/pipelines/module.js";
import type { UsersService } from "./services/users/users-service.js";

/**
 * What routers (through the tRPC context) and the plain HTTP routes see: the services, and the
 * plumbing every request passes through (config, logging, metrics, rate limit). Nothing below
 * the services: no database handle, event bus, queue or cache, so "a router only calls a
 * service" is held by the type system, not only by the import rules.
 */
export interface ApiDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  probes: DependencyProbe[];
  apiRateLimiter: RateLimiter;
  /** Logs an unexpected error and publishes `error.occurred`; never throws. */
  reportError(where: string, error: unknown, requestId?: string): void;
  auth: AuthService;
  passkeys: PasskeyService;
  sso: SingleSignOn;
  users: UsersService;
  audit: AuditService;
  payments: PaymentsService;
  pipelines: Pipelines;
  /** Email verification, data export and account deletion (services/account). */
  account: AccountService;
}

/** The HTTP server also ends running CSV downloads when it shuts down. */
export interface HttpDeps extends ApiDeps {
  exports: Pick<CopyExports, "stopAll">;
}

/**
 * Everything the composition root (app.ts) wires together: the API's view plus the adapters
 * under the services. Nothing reaches for a module-level singleton, so tests can build a whole
 * app against whichever adapters they need, and read its state through these.
 */
export interface AppDeps extends HttpDeps {
  database: DatabaseHandle;
  /** The driver's COPY and statement cancelling, picked once from `database`. */
  bulk: BulkDriver;
  exports: CopyExports;
  events: EventBus;
  queue: JobQueue;
  cache: Cache;
}
