import type {
  CellValue,
  ColumnType,
  DatasetColumn,
  DatasetRow,
  DatasetView,
  ImportView,
  PipelineView,
  RunView,
} from "../../../shared/schemas/pipelines.js";
import type { StoredColumn } from "../../db/schema/pipelines.js";
import type { ImportRecord } from "../../repositories/dataset-imports.js";
import type { DatasetRecord } from "../../repositories/datasets.js";
import type { RunRecord } from "../../repositories/pipeline-runs.js";
import type { PipelineRecord } from "../../repositories/pipelines.js";

/** What clients see of stored records: SQL keys and file paths stay on the server. */

const publicColumns = (columns: readonly StoredColumn[]): DatasetColumn[] =>
  columns.map(({ name, type }) => ({ name, type }));

export function toDatasetView(row: DatasetRecord, importId: string | null): DatasetView {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.ownerId,
    status: row.status,
    source: row.source,
    columns: publicColumns(row.columns),
    rowCount: row.rowCount,
    error: row.error,
    importId,
    sourceRunId: row.sourceRunId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toImportView(row: ImportRecord): ImportView {
  return {
    id: row.id,
    datasetId: row.datasetId,
    status: row.status,
    format: row.format,
    fileName: row.fileName,
    bytesTotal: row.bytesTotal,
    skipInvalid: row.skipInvalid,
    rowsImported: row.rowsImported,
    skippedRows: row.skippedRows,
    badRows: row.badRows,
    error: row.error,
    errorLine: row.errorLine,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export function toPipelineView(row: PipelineRecord, outputColumns: DatasetColumn[]): PipelineView {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.ownerId,
    datasetId: row.datasetId,
    steps: row.steps,
    outputColumns,
    schedule: row.scheduleCron,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toRunView(row: RunRecord): RunView {
  return {
    id: row.id,
    pipelineId: row.pipelineId,
    ownerId: row.ownerId,
    status: row.status,
    trigger: row.trigger,
    rowsTotal: row.rowsTotal,
    outputRows: row.outputRows,
    outputDatasetId: row.outputDatasetId,
    attempts: row.attempts,
    cancelRequested: row.cancelRequestedAt !== null,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** A cell as read by `outputOf`: integers arrive as text and become numbers when exact. */
function toCell(type: ColumnType, value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (type === "integer") {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : String(value);
  }
  if (type === "number") return typeof value === "number" ? value : Number(value);
  if (type === "boolean") return value === true || value === "t" || value === "true";
  return String(value);
}

export function toRows(
  columns: readonly { name: string; type: ColumnType }[],
  raw: Array<Record<string, unknown>>,
): DatasetRow[] {
  return raw.map((record) => ({
    id: String(record.__row_id),
    // fromEntries defines own properties: a column named "__proto__" is just a column.
    values: Object.fromEntries(columns.map((c, i) => [c.name, toCell(c.type, record[`v${i}`])])),
  }));
}
