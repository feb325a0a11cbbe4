import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { connecting, StartupError, withTimeout } from "../utils/startup-error.js";
import { type Database, schema } from "./database.js";
import { postgresDriverPatched } from "./driver-patch.js";

export interface DatabaseHandle {
  kind: "postgres" | "pglite";
  db: Database;
  /** Raw driver for the few things Drizzle does not wrap (COPY, advisory locks). */
  driver: { kind: "postgres"; sql: postgres.Sql; url: string } | { kind: "pglite"; pglite: PGlite };
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; absent means embedded PGlite. */
  url?: string | undefined;
  /** PGlite data directory; `memory://` keeps everything in memory (tests). */
  pgliteDir?: string;
  poolSize?: number;
  /**
   * Longest a query waits for a connection, opening one included (postgres.js's connect_timeout,
   * which Gantry's driver patch also applies to the pool's queue). Past it the query fails with
   * CONNECT_TIMEOUT, which callers get as a retryable 503.
   */
  connectTimeoutMs?: number;
}

export const DEFAULT_DATABASE_CONNECT_TIMEOUT_MS = 5000;

/**
 * Seconds before a connection that failed tries again: doubling from 50 ms with jitter, at most
 * 2 s. postgres.js's own backoff reaches 20 s, so once the database was back, calls kept
 * failing for up to 20 s while every pooled connection waited out its delay.
 */
export function reconnectDelaySeconds(retries: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 2);
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    return openPostgres(
      options.url,
      options.poolSize ?? 10,
      options.connectTimeoutMs ?? DEFAULT_DATABASE_CONNECT_TIMEOUT_MS,
    );
  }
  return openPglite(options.pgliteDir ?? "memory://");
}

async function openPostgres(url: string, max: number, connectTimeoutMs: number): Promise<DatabaseHandle> {
  if (!postgresDriverPatched()) {
    throw new StartupError(
      "DATABASE_URL",
      "the installed postgres.js lacks Gantry's patch (crashes on terminated backends, unbounded waits for a connection); run `npm ci` (or `node scripts/patch-postgres.mjs`)",
    );
  }
  const sql = postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: connectTimeoutMs / 1000,
    backoff: reconnectDelaySeconds,
    prepare: true,
  });
  await connecting("DATABASE_URL", "PostgreSQL", () => withTimeout(sql`select 1`, 5000, "PostgreSQL connection"));
  const db = drizzlePostgres({ client: sql, schema }) as unknown as Database;
  return {
    kind: "postgres",
    db,
    driver: { kind: "postgres", sql, url },
    ping: async () => {
      await withTimeout(sql`select 1`, 2000, "PostgreSQL ping");
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

async function openPglite(dir: string): Promise<DatabaseHandle> {
  if (dir !== "memory://") await mkdir(dir, { recursive: true });
  const pglite = await connecting("DATA_DIR", `an embedded database in ${dir}`, () =>
    PGlite.create(dir === "memory://" ? undefined : dir),
  );
  const db = drizzlePglite({ client: pglite, schema }) as unknown as Database;
  return {
    kind: "pglite",
    db,
    driver: { kind: "pglite", pglite },
    ping: async () => {
      await pglite.query("select 1");
    },
    close: () => pglite.close(),
  };
}

export function pgliteDirFor(dataDir: string): string {
  return join(dataDir, "pglite");
}
