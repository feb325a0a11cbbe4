import { z } from "zod";
import { filterOperators as listFilterOperators, listQuerySchema, type Page } from "./list.js";
import { text } from "./text.js";

/**
 * Data sets, pipeline steps and runs: the inputs the server validates and the shapes it
 * answers with. The pipeline builder uses the same step schemas for its draft, so a step the
 * builder accepts is a step the server can type-check.
 */

export const columnTypes = ["integer", "number", "boolean", "date", "timestamp", "text"] as const;
export type ColumnType = (typeof columnTypes)[number];

export interface DatasetColumn {
  name: string;
  type: ColumnType;
}

/** One cell as the API sends it: integers beyond 2^53 arrive as strings, dates as ISO strings. */
export type CellValue = string | number | boolean | null;

export const MAX_COLUMN_NAME = 100;
export const MAX_COLUMNS = 500;

const uuid = z.uuid();
/** A column of the data set (or of an earlier step), by its name. */
const columnRef = text().min(1, "Choose a column").max(MAX_COLUMN_NAME);
/** A column a step creates. */
const newColumnName = text()
  .trim()
  .min(1, "Name the new column")
  .max(MAX_COLUMN_NAME, `Use at most ${MAX_COLUMN_NAME} characters`);
const scalar = z.union([text().max(1000), z.number(), z.boolean()]);

// ---------------------------------------------------------------- steps

export const stepFilterOperators = [
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "contains",
  "starts_with",
  "ends_with",
  "is_null",
  "not_null",
] as const;
export type StepFilterOperator = (typeof stepFilterOperators)[number];
/** Operators that take no value. */
export const nullaryOperators: readonly StepFilterOperator[] = ["is_null", "not_null"];

export const aggregateFunctions = ["count", "sum", "avg", "min", "max"] as const;
export type AggregateFunction = (typeof aggregateFunctions)[number];

export const filterStepSchema = z.object({
  type: z.literal("filter"),
  column: columnRef,
  operator: z.enum(stepFilterOperators),
  /** Strings are read as the column's type ("42" for an integer column); absent for is_null/not_null. */
  value: scalar.nullable().optional(),
});
export const selectStepSchema = z.object({
  type: z.literal("select"),
  columns: z.array(columnRef).min(1, "Choose at least one column").max(MAX_COLUMNS),
});
export const renameStepSchema = z.object({ type: z.literal("rename"), from: columnRef, to: newColumnName });
export const deriveStepSchema = z.object({
  type: z.literal("derive"),
  name: newColumnName,
  /** e.g. `round(amount * 1.2, 2)` or `upper(region) || '-' || category`; see the expression language. */
  expression: text({ multiline: true }).min(1, "Write an expression").max(2000),
});
export const aggregateStepSchema = z.object({
  type: z.literal("aggregate"),
  groupBy: z.array(columnRef).max(20).default([]),
  aggregations: z
    .array(
      z.object({
        function: z.enum(aggregateFunctions),
        /** Absent only for count: counts rows. */
        column: columnRef.optional(),
        as: newColumnName,
      }),
    )
    .min(1, "Add at least one aggregation")
    .max(50),
});
export const sortStepSchema = z.object({
  type: z.literal("sort"),
  by: z
    .array(z.object({ column: columnRef, direction: z.enum(["asc", "desc"]).default("asc") }))
    .min(1, "Choose a column to sort by")
    .max(10),
});
export const dedupeStepSchema = z.object({
  type: z.literal("dedupe"),
  /** Rows count as duplicates when these columns match (all columns when absent); the first is kept. */
  columns: z.array(columnRef).min(1).max(MAX_COLUMNS).optional(),
});
export const limitStepSchema = z.object({ type: z.literal("limit"), count: z.number().int().min(0).max(100_000_000) });
export const joinKinds = ["inner", "left"] as const;
export type JoinKind = (typeof joinKinds)[number];
export const joinStepSchema = z.object({
  type: z.literal("join"),
  /** The other data set: one the caller may read (anything else reads as "not found"). */
  datasetId: z.uuid("Choose a data set to join"),
  /** inner keeps rows with a match; left keeps every row, with empty cells where none matched. */
  kind: z.enum(joinKinds).default("inner"),
  /** Rows match when every pair is equal: `left` is a column at this step, `right` one of the other data set. */
  on: z
    .array(z.object({ left: columnRef, right: columnRef }))
    .min(1, "Choose the columns to join on")
    .max(10),
  /** Put before the name of each column of the other data set ("customer_" makes "customer_name"). */
  prefix: text().max(50, "Use at most 50 characters").default(""),
  /** New names for columns of the other data set, by their name there (instead of the prefix). */
  rename: z
    .array(z.object({ from: columnRef, to: newColumnName }))
    .max(MAX_COLUMNS)
    .default([]),
});

export const stepSchema = z.discriminatedUnion("type", [
  filterStepSchema,
  selectStepSchema,
  renameStepSchema,
  deriveStepSchema,
  aggregateStepSchema,
  sortStepSchema,
  dedupeStepSchema,
  limitStepSchema,
  joinStepSchema,
]);
export type Step = z.infer<typeof stepSchema>;
export type StepType = Step["type"];
export const stepsSchema = z.array(stepSchema).max(50, "Use at most 50 steps");

// ---------------------------------------------------------------- data sets

export const datasetStatuses = ["importing", "ready", "failed"] as const;
export type DatasetStatus = (typeof datasetStatuses)[number];
export const importFormats = ["csv", "jsonl"] as const;
export type ImportFormat = (typeof importFormats)[number];
export const importStatuses = ["queued", "running", "succeeded", "failed"] as const;
export type ImportStatus = (typeof importStatuses)[number];

export interface DatasetView {
  id: string;
  name: string;
  ownerId: string;
  status: DatasetStatus;
  source: "upload" | "pipeline";
  columns: DatasetColumn[];
  rowCount: number | null;
  /** Why the import failed, when it did. */
  error: string | null;
  /** The import that fills an uploaded data set. */
  importId: string | null;
  /** The run that produced a pipeline's output. */
  sourceRunId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A row left out of an import (with skipInvalid) or the row that stopped it. */
export interface BadRow {
  line: number;
  message: string;
}

export interface ImportView {
  id: string;
  datasetId: string;
  status: ImportStatus;
  format: ImportFormat;
  fileName: string | null;
  bytesTotal: number;
  skipInvalid: boolean;
  rowsImported: number | null;
  skippedRows: number;
  /** The first bad rows (up to 100); `skippedRows` counts them all. */
  badRows: BadRow[];
  error: string | null;
  errorLine: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface ImportProgress {
  importId: string;
  datasetId: string;
  status: ImportStatus;
  phase: "queued" | "inspecting" | "loading" | "finishing" | "done";
  bytesDone: number;
  bytesTotal: number;
  rowsDone: number;
  percent: number;
  skippedRows: number;
  error: string | null;
  errorLine: number | null;
}

/** Answer of `POST /api/datasets`: the import runs as a job; follow it with `pipelines.datasets.onImportProgress`. */
export interface UploadAccepted {
  datasetId: string;
  importId: string;
}

/** What the caller's data sets take of their limits (`datasets.usage`). */
export interface StorageUsage {
  usedBytes: number;
  /** STORAGE_QUOTA_BYTES */
  limitBytes: number;
  datasets: number;
  /** MAX_DATASETS_PER_USER */
  maxDatasets: number;
}

export const datasetListFields = ["name", "status", "source", "rowCount", "createdAt"] as const;
export const datasetListInput = listQuerySchema(datasetListFields, {
  name: "text",
  status: "text",
  source: "text",
  rowCount: "integer",
  createdAt: "date",
});
export const datasetByIdInput = z.object({ id: uuid });
export const importByIdInput = z.object({ importId: uuid });

export const MAX_ROWS_PAGE_SIZE = 500;
export const datasetRowsInput = z.object({
  datasetId: uuid,
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(MAX_ROWS_PAGE_SIZE).default(50),
  /** `field` is a column name of the data set. */
  sort: z.object({ field: columnRef, direction: z.enum(["asc", "desc"]) }).optional(),
  filter: z
    .array(
      z.object({
        field: columnRef,
        op: z.enum(listFilterOperators),
        value: z.union([text().max(200), z.number(), z.boolean()]),
      }),
    )
    .max(10)
    .default([]),
});
export type DatasetRowsInput = z.infer<typeof datasetRowsInput>;

export interface DatasetRow {
  /** Position in the data set (file order for uploads): stable, usable as a row key. */
  id: string;
  values: Record<string, CellValue>;
}

export interface DatasetRowsPage extends Page<DatasetRow> {
  columns: DatasetColumn[];
}

/** Upload options (query string of `POST /api/datasets`). */
export const uploadOptionsSchema = z.object({
  name: text().trim().min(1, "Name the data set").max(200),
  format: z.enum(importFormats).optional(),
  skipInvalid: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => value === "true" || value === "1"),
  /** `amount:number,zip:text`: overrides inference for these columns. */
  types: text()
    .max(5000)
    .optional()
    .transform((value, ctx) => {
      const out: Record<string, ColumnType> = {};
      if (!value) return out;
      for (const pair of value.split(",")) {
        const at = pair.lastIndexOf(":");
        const name = pair.slice(0, at).trim();
        const type = pair.slice(at + 1).trim() as ColumnType;
        if (at < 1 || !columnTypes.includes(type)) {
          ctx.addIssue({ code: "custom", message: `"${pair}" is not column:type (types: ${columnTypes.join(", ")})` });
          return z.NEVER;
        }
        out[name] = type;
      }
      return out;
    }),
  fileName: text().max(300).optional(),
});
export type UploadOptions = z.infer<typeof uploadOptionsSchema>;

// ---------------------------------------------------------------- pipelines

const pipelineName = text().trim().min(1, "Name the pipeline").max(200, "Use at most 200 characters");

export const pipelineCreateInput = z.object({ name: pipelineName, datasetId: uuid, steps: stepsSchema });
export const pipelineUpdateInput = z.object({
  id: uuid,
  name: pipelineName.optional(),
  datasetId: uuid.optional(),
  steps: stepsSchema.optional(),
});
export const pipelineByIdInput = z.object({ id: uuid });
export const pipelineListFields = ["name", "createdAt", "updatedAt"] as const;
export const pipelineListInput = listQuerySchema(pipelineListFields, {
  name: "text",
  createdAt: "date",
  updatedAt: "date",
}).extend({ datasetId: uuid.optional() });

export const MAX_PREVIEW_ROWS = 500;
export const previewInput = z.object({
  datasetId: uuid,
  steps: stepsSchema,
  limit: z.number().int().min(1).max(MAX_PREVIEW_ROWS).default(50),
});

export interface PipelineView {
  id: string;
  name: string;
  ownerId: string;
  datasetId: string;
  steps: Step[];
  /** The columns the steps produce from the data set. */
  outputColumns: DatasetColumn[];
  /** Five-field cron in UTC, or null when not scheduled. */
  schedule: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The newest run, on list pages (null: never run). */
  lastRun?: LastRun | null | undefined;
}

export interface LastRun {
  id: string;
  status: RunStatus;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface PreviewResult {
  columns: DatasetColumn[];
  rows: DatasetRow[];
  /** Server time to compute the preview. */
  elapsedMs: number;
  /**
   * Set when the data set (or one it joins) has more rows than a preview reads: the preview
   * shows what the steps make of the first `inputRows` rows of each (a run reads them all).
   */
  inputRows?: number;
}

export const runStatuses = ["queued", "running", "succeeded", "failed", "canceled"] as const;
export type RunStatus = (typeof runStatuses)[number];
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "canceled"];

export interface RunView {
  id: string;
  pipelineId: string;
  /** The pipeline's name, where the run is listed or shown on its own (absent in live updates). */
  pipelineName?: string | undefined;
  ownerId: string;
  status: RunStatus;
  trigger: "manual" | "schedule";
  /** Rows of the input data set. */
  rowsTotal: number | null;
  /** Rows of the output data set, once succeeded. */
  outputRows: number | null;
  outputDatasetId: string | null;
  attempts: number;
  cancelRequested: boolean;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface RunProgress {
  runId: string;
  status: RunStatus;
  /** Input rows processed: the whole input once the single statement finishes. */
  rowsDone: number;
  rowsTotal: number;
  /** While the statement runs this is estimated from elapsed time (`estimated: true`). */
  percent: number;
  estimated: boolean;
  outputRows: number | null;
  outputDatasetId: string | null;
  error: string | null;
}

/** The server's rules for schedules (`pipelines.scheduleRules`), for the schedule form to state. */
export interface ScheduleRules {
  /** SCHEDULE_MIN_INTERVAL_MINUTES: a schedule may not fire more often. */
  minIntervalMinutes: number;
  /** SCHEDULED_OUTPUT_RETENTION: outputs of scheduled runs kept per pipeline. */
  keepOutputs: number;
}

export const runInput = z.object({
  pipelineId: uuid,
  /** Repeating `run` with the same key returns the same run. */
  idempotencyKey: text().trim().min(1).max(200),
});
export const runListFields = ["status", "createdAt", "finishedAt"] as const;
export const runListInput = listQuerySchema(runListFields, {
  status: "text",
  createdAt: "date",
  finishedAt: "date",
}).extend({ pipelineId: uuid.optional() });
export const runByIdInput = z.object({ runId: uuid });
export const scheduleInput = z.object({
  pipelineId: uuid,
  /** Five-field cron in UTC (`0 * * * *` = hourly); null removes the schedule. */
  cron: text().trim().min(9).max(100).nullable(),
});
