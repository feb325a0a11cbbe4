import { and, eq, type InferSelectModel, isNotNull } from "drizzle-orm";
import type { ListQuery, Page } from "../../shared/schemas/list.js";
import type { Executor } from "../db/database.js";
import { pipelines } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type PipelineRecord = InferSelectModel<typeof pipelines>;
export type PipelineListField = "name" | "createdAt" | "updatedAt";

export class PipelinesRepository extends BaseRepository<typeof pipelines, PipelineListField> {
  constructor() {
    super(pipelines, { name: pipelines.name, createdAt: pipelines.createdAt, updatedAt: pipelines.updatedAt });
  }

  /** A page of pipelines: only `ownerId`'s when given, only those reading `datasetId` when given. */
  async listScoped(
    db: Executor,
    query: ListQuery<PipelineListField>,
    scope: { ownerId?: string | undefined; datasetId?: string | undefined },
  ): Promise<Page<PipelineRecord>> {
    return this.list(
      db,
      query,
      and(
        scope.ownerId === undefined ? undefined : eq(pipelines.ownerId, scope.ownerId),
        scope.datasetId === undefined ? undefined : eq(pipelines.datasetId, scope.datasetId),
      ),
    );
  }

  async scheduled(db: Executor): Promise<PipelineRecord[]> {
    return db.select().from(pipelines).where(isNotNull(pipelines.scheduleCron));
  }

  async usingDataset(db: Executor, datasetId: string): Promise<PipelineRecord[]> {
    return db.select().from(pipelines).where(eq(pipelines.datasetId, datasetId)).limit(5);
  }
}
