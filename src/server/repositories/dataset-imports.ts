import { and, eq, type InferSelectModel, inArray } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { datasetImports } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type ImportRecord = InferSelectModel<typeof datasetImports>;

export class DatasetImportsRepository extends BaseRepository<typeof datasetImports, "createdAt"> {
  constructor() {
    super(datasetImports, { createdAt: datasetImports.createdAt });
  }

  async unfinished(db: Executor): Promise<ImportRecord[]> {
    return db
      .select()
      .from(datasetImports)
      .where(inArray(datasetImports.status, ["queued", "running"]));
  }

  /** Updates only while the import is in one of `from`, so a finished import stays finished. */
  async transition(
    db: Executor,
    id: string,
    from: ImportRecord["status"][],
    values: Partial<Omit<ImportRecord, "id" | "createdAt">>,
  ): Promise<ImportRecord | undefined> {
    const rows = await db
      .update(datasetImports)
      .set(values)
      .where(and(eq(datasetImports.id, id), inArray(datasetImports.status, from)))
      .returning();
    return rows[0];
  }
}
