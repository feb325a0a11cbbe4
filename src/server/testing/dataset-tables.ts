import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { vi } from "vitest";
import { queryRows } from "../db/database.js";
import { DatasetImportsRepository } from "../repositories/dataset-imports.js";
import { DatasetsRepository } from "../repositories/datasets.js";
import type { TestApp } from "./app.js";

/**
 * What API tests read or arrange below the API: a data set's typed table and its import
 * record. Tests under src/server/api call these instead of Drizzle, so that folder imports
 * nothing of the database, tests included (see .dependency-cruiser.cjs).
 */

export const datasetTableOf = (datasetId: string) => `ds_${datasetId.replace(/-/g, "")}`;

export async function tableExists(app: TestApp, datasetId: string): Promise<boolean> {
  const rows = await queryRows<{ found: string | null }>(
    app.gantry.deps.database.db,
    sql`select to_regclass(${datasetTableOf(datasetId)})::text as found`,
  );
  return rows[0]?.found !== null;
}

/** The table's size on disk, or null when it does not exist. */
export async function tableBytes(app: TestApp, datasetId: string): Promise<number | null> {
  const rows = await queryRows<{ bytes: string | null }>(
    app.gantry.deps.database.db,
    sql`select pg_total_relation_size(to_regclass(${datasetTableOf(datasetId)}))::text as bytes`,
  );
  return rows[0]?.bytes === null || rows[0]?.bytes === undefined ? null : Number(rows[0].bytes);
}

/** A user who already has a data set of about `rows` * 70 bytes (as if the quota was lowered since). */
export async function seedDataset(app: TestApp, ownerId: string, rows: number): Promise<string> {
  const db = app.gantry.deps.database.db;
  const id = randomUUID();
  await db.execute(
    sql`create table ${sql.identifier(datasetTableOf(id))} as select g::bigint as "__row", g::bigint as "n", repeat('x', 30) as "t" from generate_series(1, ${rows}) g`,
  );
  await new DatasetsRepository().insert(db, {
    id,
    ownerId,
    name: "seeded",
    status: "ready",
    source: "upload",
    tableName: datasetTableOf(id),
    columns: [
      { name: "n", key: "n", type: "integer" },
      { name: "t", key: "t", type: "text" },
    ],
    rowCount: rows,
    sizeBytes: (await tableBytes(app, id)) ?? 0,
  });
  return id;
}

/** How many times the import job ran for this import. */
export async function importAttempts(app: TestApp, importId: string): Promise<number | undefined> {
  return (await new DatasetImportsRepository().findById(app.gantry.deps.database.db, importId))?.attempts;
}

/** The next data set row written fails as if the database went away; returns what undoes it. */
export function failNextDatasetInsert(): () => void {
  const spy = vi
    .spyOn(DatasetsRepository.prototype, "insert")
    .mockRejectedValueOnce(new Error("the database went away"));
  return () => spy.mockRestore();
}
