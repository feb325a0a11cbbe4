import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { connecting, StartupError, withTimeout } from "../core/startup-error.js";
import { postgresDriverPatched } from "./driver-patch.js";
import * as schema from "./schema/index.js";

export { schema };
export type Schema = typeof schema;

/** Both drivers share this type, so repositories and services never know which one runs. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database itself or an open transaction. */
export type Executor = Database | Transaction;

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
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10);
  return openPglite(options.pgliteDir ?? "memory://");
}

async function openPostgres(url: string, max: number): Promise<DatabaseHandle> {
  if (!postgresDriverPatched()) {
    throw new StartupError(
      "DATABASE_URL",
      "the installed postgres.js lacks Gantry's patch against crashes on terminated backends; run `npm ci` (or `node scripts/patch-postgres.mjs`)",
    );
  }
  const sql = postgres(url, { max, onnotice: () => {}, connect_timeout: 5, prepare: true });
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

/**
 * Runs raw SQL and returns its rows. postgres.js answers `execute` with an array and PGlite
 * with `{ rows }`; this hides the difference so raw queries stay portable.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
