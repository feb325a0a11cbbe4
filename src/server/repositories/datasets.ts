import { and, eq, type InferSelectModel, inArray } from "drizzle-orm";
import type { ListQuery, Page } from "../../shared/schemas/list.js";
import type { Executor } from "../db/database.js";
import { datasetImports, datasets } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type DatasetRecord = InferSelectModel<typeof datasets>;
export type DatasetListField = "name" | "status" | "source" | "rowCount" | "createdAt";

export class DatasetsRepository extends BaseRepository<typeof datasets, DatasetListField> {
  constructor() {
    super(datasets, {
      name: datasets.name,
      status: datasets.status,
      source: datasets.source,
      rowCount: datasets.rowCount,
      createdAt: datasets.createdAt,
    });
  }

  /** A page of data sets: only `ownerId`'s when given. */
  async listScoped(
    db: Executor,
    query: ListQuery<DatasetListField>,
    scope: { ownerId?: string | undefined },
  ): Promise<Page<DatasetRecord>> {
    return this.list(db, query, scope.ownerId === undefined ? undefined : eq(datasets.ownerId, scope.ownerId));
  }

  async byIds(db: Executor, ids: string[]): Promise<DatasetRecord[]> {
    if (ids.length === 0) return [];
    return db.select().from(datasets).where(inArray(datasets.id, ids));
  }

  /** Latest import of each data set (uploads have exactly one). */
  async importIds(db: Executor, datasetIds: string[]): Promise<Map<string, string>> {
    if (datasetIds.length === 0) return new Map();
    const rows = await db
      .select({ datasetId: datasetImports.datasetId, id: datasetImports.id })
      .from(datasetImports)
      .where(inArray(datasetImports.datasetId, datasetIds))
      .orderBy(datasetImports.createdAt);
    return new Map(rows.map((row) => [row.datasetId, row.id]));
  }

  /** Sets the status only if it still is `from`: a late writer cannot undo a finished state. */
  async transition(
    db: Executor,
    id: string,
    from: DatasetRecord["status"],
    values: Partial<Pick<DatasetRecord, "status" | "columns" | "rowCount" | "error">>,
  ): Promise<DatasetRecord | undefined> {
    const rows = await db
      .update(datasets)
      .set(values)
      .where(and(eq(datasets.id, id), eq(datasets.status, from)))
      .returning();
    return rows[0];
  }
}
