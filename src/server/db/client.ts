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
