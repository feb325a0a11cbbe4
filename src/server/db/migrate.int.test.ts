import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPglite, createTestPostgres, type TestPostgres } from "../testing/services.js";
import { type DatabaseHandle, queryRows } from "./client.js";
import { runMigrations } from "./migrate.js";

describe("migrations", () => {
  let pg: TestPostgres;
  let lite: DatabaseHandle;
  beforeAll(async () => {
    [pg, lite] = await Promise.all([createTestPostgres(), createTestPglite()]);
  });
  afterAll(async () => {
    await Promise.all([pg?.drop(), lite?.close()]);
  });

  it("creates the same tables on PostgreSQL and PGlite", async () => {
    const tables = async (h: DatabaseHandle) =>
      (
        await queryRows<{ table_name: string }>(
          h.db,
          sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
        )
      ).map((r) => r.table_name);
    expect(await tables(pg.handle)).toEqual([
      "audit_log",
      "outbox",
      "password_resets",
      "processed_events",
      "sessions",
      "users",
    ]);
    expect(await tables(lite)).toEqual(await tables(pg.handle));
  });

  it("is safe to run again and concurrently", async () => {
    await Promise.all([runMigrations(pg.handle), runMigrations(pg.handle)]);
    await runMigrations(lite);
  });
});
