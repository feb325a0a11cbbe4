import { fileURLToPath } from "node:url";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { DatabaseHandle } from "./client.js";

const migrationsFolder = fileURLToPath(new URL("../../../drizzle", import.meta.url));

/** Arbitrary constant: every Gantry process agrees on it, so only one migrates at a time. */
const MIGRATION_LOCK_ID = 727_274_901;

/**
 * Applies the committed migrations in `drizzle/`. On PostgreSQL an advisory lock serialises
 * concurrent starters (API and workers booting together); PGlite has a single process.
 */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  if (handle.driver.kind === "pglite") {
    await migratePglite(drizzlePglite({ client: handle.driver.pglite }), { migrationsFolder });
    return;
  }
  const reserved = await handle.driver.sql.reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    // The migrator needs a client it can run transactions on; a one-connection pool keeps
    // it on a separate session from the lock holder, which is fine: the lock is what matters.
    const single = postgres(handle.driver.url, { max: 1, onnotice: () => {} });
    try {
      await migratePostgres(drizzlePostgres({ client: single }), { migrationsFolder });
    } finally {
      await single.end({ timeout: 5 });
    }
  } finally {
    await reserved`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => {});
    reserved.release();
  }
}
