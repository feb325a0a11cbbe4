import { jobIdFor } from "../../core/queue/job-id.js";

declare module "../../core/queue/port.js" {
  interface JobPayloads {
    /** Loads an uploaded file into its data set's typed table. */
    "dataset.import": { importId: string };
    /** Runs a queued pipeline run (one SQL statement, output in one transaction). */
    "pipeline.run": { runId: string };
    /** Fired by a pipeline's schedule: queues a run. */
    "pipeline.scheduled": { pipelineId: string };
  }
}

/** Jobs are enqueued with the record's id as idempotency key, so the id finds the job. */
export const importJobId = (importId: string) => jobIdFor("dataset.import", importId);
export const runJobId = (runId: string) => jobIdFor("pipeline.run", runId);
export const scheduleIdFor = (pipelineId: string) => `pipeline-schedule:${pipelineId}`;

export const IMPORT_ATTEMPTS = 3;
export const RUN_ATTEMPTS = 3;
export const RUN_BACKOFF_MS = 2000;
