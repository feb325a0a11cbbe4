import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type {
  BadRow,
  ColumnType,
  DatasetStatus,
  ImportFormat,
  ImportStatus,
  RunStatus,
  Step,
} from "../../../shared/schemas/pipelines.js";
import { baseColumns } from "./base.js";
import { users } from "./users.js";

/** A data set column: `name` is what users see and steps refer to, `key` the SQL column of its table. */
export interface StoredColumn {
  name: string;
  key: string;
  type: ColumnType;
}

/** The SQL type a column type is stored as, in a data set's table and in compiled steps. */
export const sqlTypeOf: Record<ColumnType, string> = {
  integer: "bigint",
  number: "double precision",
  boolean: "boolean",
  date: "date",
  timestamp: "timestamptz",
  text: "text",
};

/**
 * Data set metadata. The rows live in a typed table of their own (`table_name`, created at
 * run time, not by migrations): SQL over a data set runs at the speed of a plain table.
 * See docs/decisions/0009-dataset-storage.md.
 */
export const datasets = pgTable(
  "datasets",
  {
    ...baseColumns,
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    status: text("status").$type<DatasetStatus>().notNull(),
    source: text("source").$type<"upload" | "pipeline">().notNull(),
    tableName: text("table_name").notNull(),
    columns: jsonb("columns").$type<StoredColumn[]>().notNull().default([]),
    rowCount: bigint("row_count", { mode: "number" }),
    error: text("error"),
    /** Output of this run (no foreign key: runs point at data sets too). */
    sourceRunId: uuid("source_run_id"),
    /**
     * What the table takes (`pg_total_relation_size`), measured once when it is written: tables
     * never change afterwards. Summed for the storage quota without touching the tables.
     */
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull().default(0),
  },
  (table) => [
    uniqueIndex("datasets_table_name_idx").on(table.tableName),
    index("datasets_owner_idx").on(table.ownerId, table.createdAt),
    index("datasets_created_idx").on(table.createdAt),
  ],
);

/** One upload being loaded into a data set; the uploaded file waits under DATA_DIR/uploads. */
export const datasetImports = pgTable(
  "dataset_imports",
  {
    ...baseColumns,
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id").notNull(),
    status: text("status").$type<ImportStatus>().notNull(),
    format: text("format").$type<ImportFormat>().notNull(),
    /** The charset the upload declared (utf-8 when none). */
    charset: text("charset").notNull(),
    skipInvalid: boolean("skip_invalid").notNull().default(false),
    /** Column name -> type, overriding inference. */
    typeHints: jsonb("type_hints").$type<Record<string, ColumnType>>().notNull().default({}),
    fileName: text("file_name"),
    uploadPath: text("upload_path").notNull(),
    bytesTotal: bigint("bytes_total", { mode: "number" }).notNull(),
    rowsImported: bigint("rows_imported", { mode: "number" }),
    skippedRows: integer("skipped_rows").notNull().default(0),
    badRows: jsonb("bad_rows").$type<BadRow[]>().notNull().default([]),
    error: text("error"),
    errorLine: integer("error_line"),
    attempts: integer("attempts").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [
    index("dataset_imports_dataset_idx").on(table.datasetId),
    index("dataset_imports_status_idx").on(table.status),
  ],
);

export const pipelines = pgTable(
  "pipelines",
  {
    ...baseColumns,
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    /** A data set used by a pipeline cannot be deleted (restrict). */
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => datasets.id),
    steps: jsonb("steps").$type<Step[]>().notNull(),
    scheduleCron: text("schedule_cron"),
  },
  (table) => [
    index("pipelines_owner_idx").on(table.ownerId, table.createdAt),
    index("pipelines_dataset_idx").on(table.datasetId),
  ],
);

export const pipelineRuns = pgTable(
  "pipeline_runs",
  {
    ...baseColumns,
    pipelineId: uuid("pipeline_id")
      .notNull()
      .references(() => pipelines.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    trigger: text("trigger").$type<"manual" | "schedule">().notNull(),
    status: text("status").$type<RunStatus>().notNull(),
    /** What runs: the steps and input as they were when the run was queued. */
    steps: jsonb("steps").$type<Step[]>().notNull(),
    inputDatasetId: uuid("input_dataset_id").references(() => datasets.id, { onDelete: "set null" }),
    outputDatasetId: uuid("output_dataset_id").references(() => datasets.id, { onDelete: "set null" }),
    rowsTotal: bigint("rows_total", { mode: "number" }),
    outputRows: bigint("output_rows", { mode: "number" }),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    cancelRequestedAt: timestamp("cancel_requested_at", { withTimezone: true }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("pipeline_runs_idempotency_idx").on(table.pipelineId, table.idempotencyKey),
    index("pipeline_runs_pipeline_idx").on(table.pipelineId, table.createdAt),
    index("pipeline_runs_owner_idx").on(table.ownerId, table.createdAt),
    index("pipeline_runs_status_idx").on(table.status),
  ],
);
