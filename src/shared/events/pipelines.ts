import { z } from "zod";

/** Data set and pipeline run events: every import and run transition goes through the outbox. */
export const pipelineEvents = {
  "dataset.imported": z.object({
    datasetId: z.uuid(),
    importId: z.uuid(),
    ownerId: z.uuid(),
    rowCount: z.number().int().nonnegative(),
    columns: z.number().int().nonnegative(),
    skippedRows: z.number().int().nonnegative(),
  }),
  "dataset.import_failed": z.object({
    datasetId: z.uuid(),
    importId: z.uuid(),
    ownerId: z.uuid(),
    error: z.string(),
    line: z.number().int().optional(),
  }),
  "dataset.deleted": z.object({ datasetId: z.uuid(), ownerId: z.uuid() }),

  "pipeline.created": z.object({ pipelineId: z.uuid(), ownerId: z.uuid(), datasetId: z.uuid() }),
  "pipeline.updated": z.object({ pipelineId: z.uuid(), fields: z.array(z.string()) }),
  "pipeline.deleted": z.object({ pipelineId: z.uuid(), ownerId: z.uuid() }),
  "pipeline.scheduled": z.object({ pipelineId: z.uuid(), cron: z.string().nullable() }),

  "pipeline.run_queued": z.object({
    runId: z.uuid(),
    pipelineId: z.uuid(),
    ownerId: z.uuid(),
    trigger: z.enum(["manual", "schedule"]),
  }),
  "pipeline.run_started": z.object({ runId: z.uuid(), pipelineId: z.uuid(), attempt: z.number().int().positive() }),
  "pipeline.run_succeeded": z.object({
    runId: z.uuid(),
    pipelineId: z.uuid(),
    outputDatasetId: z.uuid(),
    outputRows: z.number().int().nonnegative(),
    durationMs: z.number().int().nonnegative(),
  }),
  "pipeline.run_failed": z.object({ runId: z.uuid(), pipelineId: z.uuid(), error: z.string() }),
  "pipeline.run_canceled": z.object({ runId: z.uuid(), pipelineId: z.uuid() }),
} as const;
