import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "../db/client.js";
import { runMigrations } from "../db/migrate.js";

/**
 * Real services for integration tests. Each test run isolates itself: its own database
 * (created, then dropped), its own Redis key prefix and RabbitMQ names, so two runs on one
 * machine never collide. Addresses can be overridden for machines whose services live elsewhere.
 */
export const testServiceUrls = {
  postgresAdmin: process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  redis: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  amqp: process.env.TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672",
};

/** A short unique lower-case name, usable as a namespace, database name or key prefix. */
export function uniqueName(prefix = "t"): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
}

export interface TestPostgres {
  url: string;
  handle: DatabaseHandle;
  /** Closes the handle and drops the database. */
  drop(): Promise<void>;
}

/** Creates a fresh, migrated PostgreSQL database for one test file. */
export async function createTestPostgres(): Promise<TestPostgres> {
  const name = uniqueName("gantry_test");
  const admin = postgres(testServiceUrls.postgresAdmin, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(testServiceUrls.postgresAdmin);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 5 });
  await runMigrations(handle);
  return {
    url: url.toString(),
    handle,
    drop: async () => {
      await handle.close();
      const cleanup = postgres(testServiceUrls.postgresAdmin, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}

/** A fresh, migrated in-memory PGlite. PGlite takes seconds to start: share one per test file. */
export async function createTestPglite(): Promise<DatabaseHandle> {
  const handle = await openDatabase({ pgliteDir: "memory://" });
  await runMigrations(handle);
  return handle;
}
