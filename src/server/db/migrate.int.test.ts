import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPglite, createTestPostgres, type TestPostgres } from "../testing/services.js";
import type { DatabaseHandle } from "./client.js";
import { queryRows, schema } from "./database.js";
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
    // Every table of the Drizzle schema, and nothing else, on both databases.
    const expected = Object.values(schema)
      .filter((value) => is(value, PgTable))
      .map((table) => getTableName(table as PgTable))
      .sort();
    expect(await tables(pg.handle)).toEqual(expected);
    expect(await tables(lite)).toEqual(await tables(pg.handle));
  });

  it("is safe to run again and concurrently", async () => {
    await Promise.all([runMigrations(pg.handle), runMigrations(pg.handle)]);
    await runMigrations(lite);
  });
});
