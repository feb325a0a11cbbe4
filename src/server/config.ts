import { fileURLToPath } from "node:url";
import { z } from "zod";
import { type VerifiedEmailFeature, verifiedEmailFeatures } from "../shared/schemas/account.js";

/**
 * The one place that reads `process.env`. Everything else receives a typed `Config`.
 * Defaults describe the embedded mode, so a bare `npm start` works with no configuration.
 */

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
    );

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
  .transform((value) => ["true", "1", "yes", "on"].includes(value));

const csv = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: url(["postgres:", "postgresql:"]).optional(),
  REDIS_URL: url(["redis:", "rediss:"]).optional(),
  AMQP_URL: url(["amqp:", "amqps:"]).optional(),
  NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,40}$/, "must be lower-case letters, digits, - or _")
    .default("gantry"),
  RUN_WORKERS: flag.default(true),
  CORS_ORIGINS: csv.default([]),
  TRUST_PROXY: z
    .string()
    .trim()
    .transform((value): boolean | number | string[] => {
      if (value === "true" || value === "false") return value === "true";
      if (/^\d+$/.test(value)) return Number(value);
      return value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);
    })
    .default(false),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  TWO_FACTOR_ENCRYPTION_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  REQUIRE_ADMIN_TWO_FACTOR: flag.default(false),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  // From this file's place, not the working directory: src/server/config.ts and the built
  // dist/server/config.js both sit two levels below the repository root.
  CLIENT_DIST_DIR: z.string().default(fileURLToPath(new URL("../../dist/client", import.meta.url))),
  PUBLIC_URL: url(["http:", "https:"]).optional(),
  WEBAUTHN_RP_ID: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9.-]+$/, "must be a domain name, e.g. example.com")
    .optional(),
  WEBAUTHN_RP_NAME: z.string().trim().min(1).max(64).default("Gantry"),
  WEBAUTHN_ORIGINS: csv.optional(),
  SMTP_URL: url(["smtp:", "smtps:"]).optional(),
  MAIL_FROM: z.string().min(3).default("Gantry <no-reply@gantry.local>"),
  ADMIN_EMAIL: z.string().trim().toLowerCase().pipe(z.email("must be an email address")).optional(),
  ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").max(128).optional(),
  PAYMENT_MAX_AMOUNT: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).default(99_999_999),
  PAYMENT_DEFAULT_PROVIDER: z.enum(["sandbox", "stripe"]).optional(),
  SANDBOX_PAYMENTS: flag.optional(),
  SANDBOX_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  SANDBOX_SETTLE_DELAY_MS: z.coerce.number().int().min(0).default(500),
  SANDBOX_DELAYED_SETTLE_MS: z.coerce.number().int().min(0).default(5000),
  STRIPE_SECRET_KEY: z.string().min(8).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(8).optional(),
  STRIPE_API_BASE: url(["http:", "https:"]).optional(),
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(2_147_483_648),
  UPLOADS_MAX_CONCURRENT_PER_USER: z.coerce.number().int().positive().max(100).default(2),
  IMPORT_SAMPLE_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  STORAGE_QUOTA_BYTES: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).default(1_073_741_824),
  MAX_DATASETS_PER_USER: z.coerce.number().int().positive().max(1_000_000).default(100),
  SCHEDULE_MIN_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  SCHEDULED_OUTPUT_RETENTION: z.coerce.number().int().min(1).max(1000).default(5),
  IMPORT_SAMPLE_BYTES: z.coerce.number().int().min(1024).default(16_777_216),
  IMPORT_RECORD_MAX_BYTES: z.coerce.number().int().min(1024).default(16_777_216),
  PIPELINE_PREVIEW_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  PROCEDURE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(12_000),
  PIPELINE_RUN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(1_800_000),
  PIPELINE_JOIN_MAX_ROWS: z.coerce.number().int().min(1).default(10_000_000),
  QUEUE_LOCK_MS: z.coerce.number().int().min(100).default(30_000),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  OUTBOX_STALE_AFTER_MS: z.coerce.number().int().min(100).default(60_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(600_000),
  HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(72_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().positive().default(2048),
  UPLOAD_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  WS_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().positive().default(50),
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().positive().default(100),
  EXPORT_TIMEOUT_MS: z.coerce.number().int().min(100).default(600_000),
  EXPORT_MAX_CONCURRENT: z.coerce.number().int().positive().max(100).default(4),
  EXPORT_MAX_CONCURRENT_PER_USER: z.coerce.number().int().positive().max(100).default(2),
  EXPORT_ESCAPE_FORMULAS: flag.default(true),
  OIDC_ISSUER: url(["http:", "https:"]).optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  OIDC_NAME: z.string().trim().min(1).max(40).default("Single sign-on"),
  OIDC_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  REQUIRE_VERIFIED_EMAIL: csv
    .pipe(
      z.array(z.enum(verifiedEmailFeatures, { message: `each must be one of ${verifiedEmailFeatures.join(", ")}` })),
    )
    .default([]),
});

/** Every environment variable Gantry reads (deployment files are checked against this list). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export type Config = {
  env: "development" | "production" | "test";
  mode: "embedded" | "services";
  host: string;
  port: number;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  dataDir: string;
  databaseUrl: string | undefined;
  /** Longest a query waits for a PostgreSQL connection (opening one included) before a 503. */
  databaseConnectTimeoutMs: number;
  /** Longest a query or mutation may take before the caller gets a retryable 503. */
  procedureTimeoutMs: number;
  redisUrl: string | undefined;
  amqpUrl: string | undefined;
  /** Prefix for Redis keys, RabbitMQ exchanges/queues and BullMQ queues, so runs never collide. */
  namespace: string;
  runWorkers: boolean;
  corsOrigins: string[];
  /**
   * Behind a reverse proxy, whose X-Forwarded-For to believe (true, a hop count, or addresses/
   * CIDRs): rate limits and session records then see the real client address.
   */
  trustProxy: boolean | number | string[];
  /**
   * Signs access tokens. Unset (outside production): generated once at random and kept where
   * every instance finds it (see core/secrets.ts); never a value written in the code.
   */
  jwtSecret: string | undefined;
  twoFactor: {
    /**
     * Encrypts authenticator secrets at rest (they must be readable to check a code). Unset:
     * generated once and kept like the JWT secret (core/secrets.ts).
     */
    encryptionKey: string | undefined;
    /** REQUIRE_ADMIN_TWO_FACTOR: admins reach admin procedures only with a second factor. */
    requireForAdmins: boolean;
  };
  rateLimitPerMinute: number;
  shutdownTimeoutMs: number;
  /** When set, GET /metrics needs `Authorization: Bearer <token>` (procedure names and queue depths are not for everyone). */
  metricsToken: string | undefined;
  clientDistDir: string;
  /** Where users reach the app; used in links sent by email. */
  publicUrl: string;
  /**
   * Passkeys (WebAuthn): the relying party's id (a domain), the name authenticators show, and
   * the page origins a ceremony may come from. Defaults follow PUBLIC_URL.
   */
  webauthn: { rpId: string; rpName: string; origins: string[] };
  smtpUrl: string | undefined;
  mailFrom: string;
  /** When both are set, start-up makes sure this admin account exists. */
  admin: { email: string; password: string } | undefined;
  payments: PaymentsConfig;
  pipelines: {
    /** Largest upload accepted by `POST /api/datasets`, in bytes. */
    uploadMaxBytes: number;
    /** UPLOADS_MAX_CONCURRENT_PER_USER: uploads one user may have streaming in at once (per process). */
    uploadsMaxConcurrentPerUser: number;
    /** Rows read from the start of a file to infer column types. */
    importSampleRows: number;
    /** Per-user limits; see StorageQuota. They apply to admins' own data sets too. */
    quota: StorageLimits;
    /** The shortest gap allowed between two firings of a pipeline's schedule. */
    scheduleMinIntervalMinutes: number;
    /** Outputs of a pipeline's scheduled runs kept; older ones are dropped when a new one succeeds. */
    scheduledOutputRetention: number;
    /** The type sample's size at most, however short its rows (it is held whole); it ends at `importSampleRows` or this. */
    importSampleBytes: number;
    /** Largest single row (CSV record, JSON line) an import accepts. */
    importRecordMaxBytes: number;
    /** Time limit of one preview's statement. */
    previewTimeoutMs: number;
    /** Time limit of one run's statement. */
    runTimeoutMs: number;
    /** The most rows one join step may make, in a preview or a run. */
    joinMaxRows: number;
  };
  /** A BullMQ worker that stops renewing a job's lock this long loses the job to another worker. */
  queueLockMs: number;
  /**
   * Longest a request waits for one Redis reply before falling back (cache, rate limits) or
   * refusing with a retryable error; queue calls get twice this (they take a few round trips).
   */
  redisCommandTimeoutMs: number;
  /** An event still unpublished after this long makes the relay warn and health report events as degraded. */
  outboxStaleAfterMs: number;
  /** Bounds on what one client can hold open (see http/server.ts). */
  http: {
    /** Longest time to receive a whole request, body included (uploads too). */
    requestTimeoutMs: number;
    /** A connection on which nothing is sent or received this long is closed. */
    idleTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
    /** An upload that sends nothing this long is ended with 408 and its file removed. */
    uploadIdleTimeoutMs: number;
    wsMaxConnectionsPerAddress: number;
    /** Subscriptions open at once on one WebSocket. */
    wsMaxSubscriptions: number;
  };
  /** CSV exports: each holds a database connection of its own while it streams. */
  exports: { timeoutMs: number; maxConcurrent: number; maxConcurrentPerUser: number; escapeFormulas: boolean };
  /** Sign-in with an OpenID Connect provider; undefined (no SSO button) unless OIDC_* are set. */
  sso: SsoConfig | undefined;
  /** REQUIRE_VERIFIED_EMAIL: what an account may not do until its email is verified. */
  requireVerifiedEmailFor: VerifiedEmailFeature[];
  version: string;
};

export type SsoConfig = {
  /** The provider's issuer identifier; its discovery document is read from it. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the sign-in button says: "Sign in with <name>". */
  name: string;
  /** Longest wait for one call to the provider (discovery, token, keys). */
  timeoutMs: number;
};

export type StorageLimits = {
  /** Bytes of a user's data set tables (as PostgreSQL measures them) plus uploads still importing. */
  storageBytes: number;
  /** Data sets a user may have, uploads and run outputs alike (failed imports count until deleted). */
  datasets: number;
};

export type PaymentsConfig = {
  /** Largest single payment in minor units, whatever the currency (Stripe's own limit is 99 999 999). */
  maxAmount: number;
  /** Used when `payments.create` names no provider; undefined when none is enabled. */
  defaultProvider: string | undefined;
  /** The built-in test processor; off by default in production, where it would hand out free "payments". */
  sandbox: { webhookSecret: string | undefined; settleDelayMs: number; delayedSettleMs: number } | undefined;
  /** Enabled when both secrets are set; `apiBase` points the SDK elsewhere (tests, proxies). */
  stripe: { secretKey: string; webhookSecret: string; apiBase: string | undefined } | undefined;
};

/** A configuration problem, reported as one line naming the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset": `.env` files and shells often leave `FOO=` behind.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join(".") ?? "environment";
    throw new ConfigError(`${variable}: ${issue?.message ?? "invalid"}`);
  }
  const e = parsed.data;
  const services = [e.DATABASE_URL, e.REDIS_URL, e.AMQP_URL];
  const mode = services.every(Boolean) ? "services" : "embedded";

  if (Boolean(e.ADMIN_EMAIL) !== Boolean(e.ADMIN_PASSWORD)) {
    throw new ConfigError(
      `${e.ADMIN_EMAIL ? "ADMIN_PASSWORD" : "ADMIN_EMAIL"}: set ADMIN_EMAIL and ADMIN_PASSWORD together`,
    );
  }

  if (e.PROCEDURE_TIMEOUT_MS <= e.PIPELINE_PREVIEW_TIMEOUT_MS) {
    // Otherwise a preview the statement limit would allow is cut short by the call's deadline,
    // with a vaguer message than the preview's own.
    throw new ConfigError(
      `PROCEDURE_TIMEOUT_MS: must be longer than PIPELINE_PREVIEW_TIMEOUT_MS (${e.PIPELINE_PREVIEW_TIMEOUT_MS})`,
    );
  }

  if (e.NODE_ENV === "production") {
    const missing = (
      [
        ["DATABASE_URL", e.DATABASE_URL],
        ["REDIS_URL", e.REDIS_URL],
        ["AMQP_URL", e.AMQP_URL],
        ["JWT_SECRET", e.JWT_SECRET],
        ["SMTP_URL", e.SMTP_URL],
      ] as const
    ).filter(([, value]) => !value);
    if (missing.length > 0) {
      throw new ConfigError(
        `${missing.map(([name]) => name).join(", ")}: required when NODE_ENV=production (embedded defaults are for development only)`,
      );
    }
  }

  return {
    env: e.NODE_ENV,
    mode,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databaseConnectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    procedureTimeoutMs: e.PROCEDURE_TIMEOUT_MS,
    redisUrl: e.REDIS_URL,
    amqpUrl: e.AMQP_URL,
    namespace: e.NAMESPACE,
    runWorkers: e.RUN_WORKERS,
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    jwtSecret: e.JWT_SECRET,
    twoFactor: { encryptionKey: e.TWO_FACTOR_ENCRYPTION_KEY, requireForAdmins: e.REQUIRE_ADMIN_TWO_FACTOR },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    metricsToken: e.METRICS_TOKEN,
    clientDistDir: e.CLIENT_DIST_DIR,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    webauthn: webauthnConfig(e),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
    payments: paymentsConfig(e),
    pipelines: {
      uploadMaxBytes: e.UPLOAD_MAX_BYTES,
      uploadsMaxConcurrentPerUser: e.UPLOADS_MAX_CONCURRENT_PER_USER,
      importSampleRows: e.IMPORT_SAMPLE_ROWS,
      quota: { storageBytes: e.STORAGE_QUOTA_BYTES, datasets: e.MAX_DATASETS_PER_USER },
      scheduleMinIntervalMinutes: e.SCHEDULE_MIN_INTERVAL_MINUTES,
      scheduledOutputRetention: e.SCHEDULED_OUTPUT_RETENTION,
      importSampleBytes: e.IMPORT_SAMPLE_BYTES,
      importRecordMaxBytes: e.IMPORT_RECORD_MAX_BYTES,
      previewTimeoutMs: e.PIPELINE_PREVIEW_TIMEOUT_MS,
      runTimeoutMs: e.PIPELINE_RUN_TIMEOUT_MS,
      joinMaxRows: e.PIPELINE_JOIN_MAX_ROWS,
    },
    queueLockMs: e.QUEUE_LOCK_MS,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    outboxStaleAfterMs: e.OUTBOX_STALE_AFTER_MS,
    http: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      idleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
      uploadIdleTimeoutMs: e.UPLOAD_IDLE_TIMEOUT_MS,
      wsMaxConnectionsPerAddress: e.WS_MAX_CONNECTIONS_PER_ADDRESS,
      wsMaxSubscriptions: e.WS_MAX_SUBSCRIPTIONS,
    },
    exports: {
      timeoutMs: e.EXPORT_TIMEOUT_MS,
      maxConcurrent: e.EXPORT_MAX_CONCURRENT,
      maxConcurrentPerUser: e.EXPORT_MAX_CONCURRENT_PER_USER,
      escapeFormulas: e.EXPORT_ESCAPE_FORMULAS,
    },
    sso: ssoConfig(e),
    requireVerifiedEmailFor: [...new Set(e.REQUIRE_VERIFIED_EMAIL)],
    version: env.npm_package_version ?? "0.1.0",
  };
}

/**
 * The RP ID defaults to PUBLIC_URL's host name and the one allowed origin to PUBLIC_URL's origin
 * (`http://localhost:PORT` when unset; browsers treat localhost as a secure context, an IP address
 * is never a valid RP ID). Each origin must be the RP ID or one of its subdomains.
 */
function webauthnConfig(e: z.infer<typeof envSchema>): Config["webauthn"] {
  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const rpId = e.WEBAUTHN_RP_ID ?? publicUrl.hostname;
  const origins = e.WEBAUTHN_ORIGINS?.length ? e.WEBAUTHN_ORIGINS : [publicUrl.origin];
  for (const origin of origins) {
    let host: string;
    try {
      const parsed = new URL(origin);
      if (parsed.origin !== origin || !["http:", "https:"].includes(parsed.protocol)) throw new Error("not an origin");
      host = parsed.hostname;
    } catch {
      throw new ConfigError(`WEBAUTHN_ORIGINS: "${origin}" is not an origin like https://app.example.com`);
    }
    if (host !== rpId && !host.endsWith(`.${rpId}`)) {
      throw new ConfigError(
        `WEBAUTHN_ORIGINS: "${origin}" is not on the RP ID "${rpId}" (WEBAUTHN_RP_ID) or a subdomain of it`,
      );
    }
  }
  return { rpId, rpName: e.WEBAUTHN_RP_NAME, origins };
}

function ssoConfig(e: z.infer<typeof envSchema>): SsoConfig | undefined {
  const parts = [
    ["OIDC_ISSUER", e.OIDC_ISSUER],
    ["OIDC_CLIENT_ID", e.OIDC_CLIENT_ID],
    ["OIDC_CLIENT_SECRET", e.OIDC_CLIENT_SECRET],
  ] as const;
  const missing = parts.filter(([, value]) => !value).map(([name]) => name);
  if (missing.length === parts.length) return undefined;
  if (missing.length > 0) {
    throw new ConfigError(`${missing.join(", ")}: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together`);
  }
  const issuer = new URL(e.OIDC_ISSUER as string);
  // The token exchange sends the client secret: over plain HTTP only to this machine (tests, a local provider).
  if (issuer.protocol === "http:" && !isLoopback(issuer.hostname)) {
    throw new ConfigError("OIDC_ISSUER: must be https:// (plain http:// only for a provider on this machine)");
  }
  return {
    // The issuer is compared character for character with the ID token's `iss`: kept as given.
    issuer: (e.OIDC_ISSUER as string).trim(),
    clientId: e.OIDC_CLIENT_ID as string,
    clientSecret: e.OIDC_CLIENT_SECRET as string,
    name: e.OIDC_NAME,
    timeoutMs: e.OIDC_TIMEOUT_MS,
  };
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function paymentsConfig(e: z.infer<typeof envSchema>): PaymentsConfig {
  if (Boolean(e.STRIPE_SECRET_KEY) !== Boolean(e.STRIPE_WEBHOOK_SECRET)) {
    throw new ConfigError(
      `${e.STRIPE_SECRET_KEY ? "STRIPE_WEBHOOK_SECRET" : "STRIPE_SECRET_KEY"}: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET together`,
    );
  }
  const stripe =
    e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET
      ? { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET, apiBase: e.STRIPE_API_BASE }
      : undefined;
  const sandbox =
    (e.SANDBOX_PAYMENTS ?? e.NODE_ENV !== "production")
      ? {
          webhookSecret: e.SANDBOX_WEBHOOK_SECRET,
          settleDelayMs: e.SANDBOX_SETTLE_DELAY_MS,
          delayedSettleMs: e.SANDBOX_DELAYED_SETTLE_MS,
        }
      : undefined;
  const enabled = [...(sandbox ? ["sandbox"] : []), ...(stripe ? ["stripe"] : [])];
  if (e.PAYMENT_DEFAULT_PROVIDER && !enabled.includes(e.PAYMENT_DEFAULT_PROVIDER)) {
    throw new ConfigError(
      `PAYMENT_DEFAULT_PROVIDER: "${e.PAYMENT_DEFAULT_PROVIDER}" is not enabled (enabled: ${enabled.join(", ") || "none"})`,
    );
  }
  return {
    maxAmount: e.PAYMENT_MAX_AMOUNT,
    defaultProvider: e.PAYMENT_DEFAULT_PROVIDER ?? enabled[0],
    sandbox,
    stripe,
  };
}
