import { and, desc, eq, type InferInsertModel, type InferSelectModel, inArray, isNull } from "drizzle-orm";
import type { ListQuery, Page } from "../../shared/schemas/list.js";
import type { Executor } from "../db/database.js";
import { pipelineRuns } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type RunRecord = InferSelectModel<typeof pipelineRuns>;
export type RunListField = "status" | "createdAt" | "finishedAt";

const ACTIVE: RunRecord["status"][] = ["queued", "running"];

export class PipelineRunsRepository extends BaseRepository<typeof pipelineRuns, RunListField> {
  constructor() {
    super(pipelineRuns, {
      status: pipelineRuns.status,
      createdAt: pipelineRuns.createdAt,
      finishedAt: pipelineRuns.finishedAt,
    });
  }

  /** A page of runs: only `ownerId`'s when given, only `pipelineId`'s when given. */
  async listScoped(
    db: Executor,
    query: ListQuery<RunListField>,
    scope: { ownerId?: string | undefined; pipelineId?: string | undefined },
  ): Promise<Page<RunRecord>> {
    return this.list(
      db,
      query,
      and(
        scope.ownerId === undefined ? undefined : eq(pipelineRuns.ownerId, scope.ownerId),
        scope.pipelineId === undefined ? undefined : eq(pipelineRuns.pipelineId, scope.pipelineId),
      ),
    );
  }

  /** Inserts unless (pipeline, key) exists; returns the new run, or undefined when it existed. */
  async insertOnce(db: Executor, values: InferInsertModel<typeof pipelineRuns>): Promise<RunRecord | undefined> {
    const rows = await db
      .insert(pipelineRuns)
      .values(values)
      .onConflictDoNothing({ target: [pipelineRuns.pipelineId, pipelineRuns.idempotencyKey] })
      .returning();
    return rows[0];
  }

  async findByKey(db: Executor, pipelineId: string, idempotencyKey: string): Promise<RunRecord | undefined> {
    const rows = await db
      .select()
      .from(pipelineRuns)
      .where(and(eq(pipelineRuns.pipelineId, pipelineId), eq(pipelineRuns.idempotencyKey, idempotencyKey)))
      .limit(1);
    return rows[0];
  }

  /** Updates only while the run is in one of `from`: the guard every state change goes through. */
  async transition(
    db: Executor,
    id: string,
    from: RunRecord["status"][],
    values: Partial<Omit<RunRecord, "id" | "createdAt">>,
    options: { notCancelRequested?: boolean } = {},
  ): Promise<RunRecord | undefined> {
    const rows = await db
      .update(pipelineRuns)
      .set(values)
      .where(
        and(
          eq(pipelineRuns.id, id),
          inArray(pipelineRuns.status, from),
          options.notCancelRequested ? isNull(pipelineRuns.cancelRequestedAt) : undefined,
        ),
      )
      .returning();
    return rows[0];
  }

  async active(db: Executor, filter?: { pipelineId?: string; datasetId?: string }): Promise<RunRecord[]> {
    const scope = filter?.pipelineId
      ? eq(pipelineRuns.pipelineId, filter.pipelineId)
      : filter?.datasetId
        ? eq(pipelineRuns.inputDatasetId, filter.datasetId)
        : undefined;
    return db
      .select()
      .from(pipelineRuns)
      .where(and(inArray(pipelineRuns.status, ACTIVE), scope));
  }

  /**
   * The newest run of each pipeline on a page of pipelines: one DISTINCT ON query over the
   * (pipeline_id, created_at) index, bounded by the page's ids.
   */
  async latestFor(db: Executor, pipelineIds: string[]): Promise<RunRecord[]> {
    if (pipelineIds.length === 0) return [];
    return db
      .selectDistinctOn([pipelineRuns.pipelineId])
      .from(pipelineRuns)
      .where(inArray(pipelineRuns.pipelineId, pipelineIds))
      .orderBy(pipelineRuns.pipelineId, desc(pipelineRuns.createdAt));
  }

  /** The last successful run, to estimate how long the next one takes. */
  async lastSucceeded(db: Executor, pipelineId: string): Promise<RunRecord | undefined> {
    const rows = await db
      .select()
      .from(pipelineRuns)
      .where(and(eq(pipelineRuns.pipelineId, pipelineId), eq(pipelineRuns.status, "succeeded")))
      .orderBy(desc(pipelineRuns.finishedAt))
      .limit(1);
    return rows[0];
  }
}
