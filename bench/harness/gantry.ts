import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { cleanupNamespace } from "../../src/server/testing/cleanup.js";
import { createTestPostgres, testServiceUrls, uniqueName } from "../../src/server/testing/services.js";
import { type BenchServer, startServer } from "./server.js";

export interface BenchGantry {
  server: BenchServer;
  /** The fresh database it runs on, for seeding rows the bench needs in bulk. */
  sql: postgres.Sql;
  admin: { email: string; password: string };
  /** A tRPC call as the browser's client sends it; throws unless it answered 2xx. */
  call<T>(kind: "query" | "mutation", path: string, input: unknown, token?: string): Promise<T>;
  close(): Promise<void>;
}

/**
 * `npm start` (API only: src/server/main.ts with RUN_WORKERS=false) on a fresh PostgreSQL
 * database and its own Redis and RabbitMQ namespace, pinned to the server core. Logs at info,
 * as deployed, so each request's log line is part of its cost.
 */
export async function startGantry(env: Record<string, string> = {}): Promise<BenchGantry> {
  const database = await createTestPostgres();
  await database.handle.close();
  const namespace = uniqueName("bench");
  const dataDir = await mkdtemp(join(tmpdir(), "gantry-bench-"));
  const admin = { email: "admin@bench.test", password: "bench admin passphrase" };
  const server = await startServer(
    "gantry",
    "src/server/main.ts",
    {
      NODE_ENV: "test",
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info",
      DATABASE_URL: database.url,
      REDIS_URL: testServiceUrls.redis,
      AMQP_URL: testServiceUrls.amqp,
      NAMESPACE: namespace,
      DATA_DIR: dataDir,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      RUN_WORKERS: "false",
      // The budget is spent (a Redis round trip per call) but never reached under load.
      RATE_LIMIT_PER_MINUTE: "1000000000",
      ...env,
    },
    { readyPath: "/readyz" },
  ).catch(async (error: unknown) => {
    await database.drop().catch(() => {});
    throw error;
  });
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });

  async function call<T>(kind: "query" | "mutation", path: string, input: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const query = `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    const response = await fetch(`${server.url}/trpc/${path}${kind === "query" ? query : ""}`, {
      method: kind === "query" ? "GET" : "POST",
      headers: kind === "query" ? headers : { ...headers, "content-type": "application/json" },
      ...(kind === "mutation" ? { body: JSON.stringify({ json: input }) } : {}),
    });
    const body = (await response.json()) as { result?: { data?: { json?: T } } };
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(body)}`);
    return body.result?.data?.json as T;
  }

  return {
    server,
    sql,
    admin,
    call,
    async close() {
      await server.stop();
      await sql.end();
      await database.drop().catch(() => {});
      await cleanupNamespace(namespace).catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tRPC query's URL path with its superjson-wrapped input. */
export function queryPath(path: string, input?: unknown): string {
  return input === undefined
    ? `/trpc/${path}`
    : `/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}
