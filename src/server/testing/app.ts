import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { createGantry, type Gantry } from "../app.js";
import { loadConfig } from "../config.js";
import type { Logger } from "../core/logger.js";
import { createContext, type DeviceCookie, type SessionCookie } from "../trpc/context.js";
import { createCallerFactory } from "../trpc/init.js";
import { appRouter } from "../trpc/router.js";
import { cleanupNamespace } from "./cleanup.js";
import { createTestPostgres, testServiceUrls, uniqueName } from "./services.js";

export interface TestApp {
  gantry: Gantry;
  /** A typed caller, as a client with this token (or anonymous) would be. */
  caller(options?: {
    token?: string | null;
    ip?: string;
    cookie?: SessionCookie;
    device?: DeviceCookie;
  }): ReturnType<typeof createCaller>;
  /** Signs up a fresh user and returns their token and id. */
  signup(overrides?: {
    email?: string;
    password?: string;
    name?: string;
  }): Promise<{ token: string; userId: string; email: string; password: string }>;
  close(): Promise<void>;
}

const createCaller = createCallerFactory(appRouter);
const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

/**
 * A whole Gantry for tests, on a free local port: `embedded` on in-memory PGlite and
 * in-process adapters, `services` on the real PostgreSQL (fresh database), Redis and RabbitMQ
 * under a unique namespace. Extra environment overrides the defaults.
 */
export async function createTestApp(
  mode: "embedded" | "services",
  env: Record<string, string> = {},
  /** A logger of the test's own, to read what the app logs. */
  options: { logger?: Logger } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), "gantry-test-"));
  const namespace = uniqueName("t");
  const database = mode === "services" ? await createTestPostgres() : undefined;
  await database?.handle.close();
  const config = loadConfig({
    NODE_ENV: "test",
    // Tests call procedures directly or through `http.inject`; listen only on a free local port.
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: dataDir,
    NAMESPACE: namespace,
    LOG_LEVEL: "silent",
    RATE_LIMIT_PER_MINUTE: "100000",
    ...(database
      ? { DATABASE_URL: database.url, REDIS_URL: testServiceUrls.redis, AMQP_URL: testServiceUrls.amqp }
      : {}),
    ...env,
  });
  // Embedded tests use in-memory PGlite: a file-backed one per test is slow to create.
  const gantry = await createGantry(config, {
    http: true,
    workers: true,
    logger: options.logger ?? silent,
    pgliteDir: "memory://",
  });
  await gantry.listen().catch(async (error: unknown) => {
    await gantry.stop();
    throw error;
  });

  let counter = 0;
  const app: TestApp = {
    gantry,
    caller: (options = {}) =>
      createCaller(
        createContext(gantry.deps, {
          requestId: uniqueName("req"),
          ip: options.ip ?? "127.0.0.1",
          transport: "internal",
          token: options.token ?? null,
          sessionCookie: options.cookie,
          deviceCookie: options.device,
        }),
      ),
    async signup(overrides = {}) {
      counter += 1;
      const email = overrides.email ?? `user${counter}-${uniqueName("u")}@gantry.test`;
      const password = overrides.password ?? "a perfectly fine passphrase";
      const result = await app.caller().auth.signup({ email, password, name: overrides.name ?? `User ${counter}` });
      return { token: result.accessToken, userId: result.user.id, email, password };
    },
    async close() {
      await gantry.stop();
      if (database) {
        await database.drop().catch(() => {});
        await cleanupNamespace(namespace).catch(() => {});
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return app;
}
