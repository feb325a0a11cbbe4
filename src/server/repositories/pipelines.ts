import { eq, type InferSelectModel, isNotNull } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import { pipelines } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type PipelineRecord = InferSelectModel<typeof pipelines>;
export type PipelineListField = "name" | "createdAt" | "updatedAt";

export class PipelinesRepository extends BaseRepository<typeof pipelines, PipelineListField> {
  constructor() {
    super(pipelines, { name: pipelines.name, createdAt: pipelines.createdAt, updatedAt: pipelines.updatedAt });
  }

  async scheduled(db: Executor): Promise<PipelineRecord[]> {
    return db.select().from(pipelines).where(isNotNull(pipelines.scheduleCron));
  }

  async usingDataset(db: Executor, datasetId: string): Promise<PipelineRecord[]> {
    return db.select().from(pipelines).where(eq(pipelines.datasetId, datasetId)).limit(5);
  }
}
