import type { Readable } from "node:stream";
import { type Caller, ownerFilter } from "../../../shared/ownership.js";
import type { ListQuery, Page } from "../../../shared/schemas/list.js";
import type {
  DatasetRowsInput,
  DatasetRowsPage,
  DatasetView,
  ImportProgress,
  ImportView,
  StorageUsage,
  UploadAccepted,
} from "../../../shared/schemas/pipelines.js";
import type { EventBus } from "../../core/events/index.js";
import { follow } from "../../core/live.js";
import type { Logger } from "../../core/logger.js";
import type { JobProgress, JobQueue } from "../../core/queue/port.js";
import type { Database } from "../../db/database.js";
import type { DatasetImportsRepository, ImportRecord } from "../../repositories/dataset-imports.js";
import type { DatasetTablesRepository } from "../../repositories/dataset-tables.js";
import type { DatasetListField, DatasetRecord, DatasetsRepository } from "../../repositories/datasets.js";
import type { PipelineRunsRepository } from "../../repositories/pipeline-runs.js";
import type { PipelinesRepository } from "../../repositories/pipelines.js";
import { DomainError, notFound } from "../errors.js";
import { assertCanRead, assertCanWrite } from "../ownership.js";
import { rowsQuery } from "./compiler/rows-query.js";
import { ident, outputOf } from "./compiler/sql-values.js";
import { importJobId } from "./job-names.js";
import type { StorageQuota } from "./storage-quota.js";
import { UploadIntake, type UploadRequest } from "./upload-intake.js";
import { toDatasetView, toImportView, toRows } from "./views.js";

/**
 * Streams a query's rows as CSV, within the export limits (db/copy-exports.ts in production):
 * a port, so this service never learns how a driver streams COPY.
 */
export interface CsvExports {
  /** `userId`: whose export this is, counted against EXPORT_MAX_CONCURRENT_PER_USER. */
  open(query: string, options: string, userId: string): Promise<Readable>;
}

export interface DatasetsServiceDeps {
  db: Database;
  events: EventBus;
  queue: JobQueue;
  logger: Logger;
  datasets: DatasetsRepository;
  imports: DatasetImportsRepository;
  pipelines: PipelinesRepository;
  runs: PipelineRunsRepository;
  tables: DatasetTablesRepository;
  dataDir: string;
  uploadMaxBytes: number;
  /** UPLOADS_MAX_CONCURRENT_PER_USER (see UploadIntake). */
  uploadsMaxConcurrentPerUser: number;
  quota: StorageQuota;
  exports: CsvExports;
  /** EXPORT_ESCAPE_FORMULAS: the default when an export does not say. */
  escapeFormulas: boolean;
}

/** Progress a running import job reports (see ImportJob). */
export interface ImportJobProgress {
  phase: "inspecting" | "loading" | "finishing";
  bytesDone: number;
  bytesTotal: number;
  rowsDone: number;
}

/** Data sets: uploads (the import itself runs as a job, see ImportJob), browsing, export, deletion. */
export class DatasetsService {
  private readonly uploads: UploadIntake;

  constructor(private readonly deps: DatasetsServiceDeps) {
    this.uploads = new UploadIntake(deps);
  }

  private get db() {
    return this.deps.db;
  }

  /** See UploadIntake. */
  receiveUpload(caller: Caller, body: AsyncIterable<Buffer>, request: UploadRequest): Promise<UploadAccepted> {
    return this.uploads.receive(caller, body, request);
  }

  /** What the caller's own data sets take of their limits (admins' too: see StorageQuota). */
  usage(caller: Caller): Promise<StorageUsage> {
    return this.deps.quota.usage(this.db, caller.id);
  }

  async list(caller: Caller, query: ListQuery<DatasetListField>): Promise<Page<DatasetView>> {
    const page = await this.deps.datasets.listScoped(this.db, query, { ownerId: ownerFilter(caller, "datasets") });
    const importIds = await this.deps.datasets.importIds(
      this.db,
      page.items.map((d) => d.id),
    );
    return { ...page, items: page.items.map((d) => toDatasetView(d, importIds.get(d.id) ?? null)) };
  }

  async byId(caller: Caller, id: string): Promise<DatasetView> {
    const row = await this.readable(caller, id);
    const importIds = await this.deps.datasets.importIds(this.db, [row.id]);
    return toDatasetView(row, importIds.get(row.id) ?? null);
  }

  /** A page of rows, sorted and filtered by the database (data sets may have millions). */
  async rows(caller: Caller, input: DatasetRowsInput): Promise<DatasetRowsPage> {
    const dataset = ready(await this.readable(caller, input.datasetId));
    const { where, orderBy } = rowsQuery(dataset.columns, input);
    const values = dataset.columns.map((c) => outputOf({ type: c.type, ident: c.key }));
    const { tables } = this.deps;
    const raw = await tables.page(this.db, ident(dataset.tableName), values, {
      where,
      orderBy,
      limit: input.pageSize,
      offset: (input.page - 1) * input.pageSize,
    });
    const total = where ? await tables.count(this.db, dataset.tableName, where) : (dataset.rowCount ?? 0);
    const columns = dataset.columns.map(({ name, type }) => ({ name, type }));
    return { columns, items: toRows(columns, raw), total, page: input.page, pageSize: input.pageSize };
  }

  /**
   * The rows as CSV, streamed from the database on a connection of its own (see CopyExports);
   * the header row holds the column names. Formulas are neutralised unless the caller says not to.
   */
  async exportCsv(
    caller: Caller,
    id: string,
    options: { escapeFormulas?: boolean | undefined } = {},
  ): Promise<{ fileName: string; header: string; body: Readable }> {
    const dataset = ready(await this.readable(caller, id));
    const escapeFormulas = options.escapeFormulas ?? this.deps.escapeFormulas;
    const query = this.deps.tables.exportQuery(
      dataset.tableName,
      dataset.columns.map((c) => ({ key: c.key, type: c.type })),
      { escapeFormulas },
    );
    const body = await this.deps.exports.open(query, "format csv", caller.id);
    const names = dataset.columns.map((c) => (escapeFormulas ? escapeFormula(c.name) : c.name));
    const header = `${names.map(csvCell).join(",")}\n`;
    const fileName = `${dataset.name.replace(/[^\w.-]+/g, "_").slice(0, 100) || "dataset"}.csv`;
    return { fileName, header, body };
  }

  async delete(caller: Caller, id: string): Promise<{ id: string }> {
    const dataset = assertCanWrite(
      caller,
      "datasets:write",
      "Data set",
      await this.deps.datasets.findById(this.db, id),
    );
    if (dataset.status === "importing") {
      throw new DomainError("CONFLICT", "This data set is still importing; delete it once the import has finished.");
    }
    const users = await this.deps.pipelines.usingDataset(this.db, id);
    if (users.length > 0) {
      const names = users.map((p) => `"${p.name}"`).join(", ");
      throw new DomainError(
        "CONFLICT",
        `This data set is used by pipeline ${names}. Delete or change the pipeline first.`,
      );
    }
    if ((await this.deps.runs.active(this.db, { datasetId: id })).length > 0) {
      throw new DomainError(
        "CONFLICT",
        "A pipeline run is reading this data set; delete it once the run has finished.",
      );
    }
    await this.db.transaction(async (tx) => {
      if (!(await this.deps.datasets.delete(tx, id))) throw notFound("Data set");
      await this.deps.tables.drop(tx, dataset.tableName);
      await this.deps.events.publish(
        tx,
        "dataset.deleted",
        { datasetId: id, ownerId: dataset.ownerId },
        { kind: "user", id: caller.id },
      );
    });
    return { id };
  }

  async importById(caller: Caller, importId: string): Promise<ImportView> {
    return toImportView(await this.readableImport(caller, importId));
  }

  /** The import's progress until it succeeds or fails. */
  async *importProgress(caller: Caller, importId: string, signal?: AbortSignal): AsyncGenerator<ImportProgress> {
    await this.readableImport(caller, importId);
    const { queue, events } = this.deps;
    yield* follow<ImportProgress, JobProgress>({
      signal,
      snapshot: async () => importSnapshot(await this.importRecord(importId)),
      done: (progress) => progress.status === "succeeded" || progress.status === "failed",
      merge: (current, hint) => mergeImportProgress(current, hint),
      subscribe: async (wake) => {
        const stopJob = await queue.watch(importJobId(importId), (event) =>
          event.type === "progress" ? wake(event.progress) : wake(),
        );
        const stopEvents = events.listen(["dataset.imported", "dataset.import_failed"], (envelope) => {
          if (envelope.payload.importId === importId) wake();
        });
        return () => {
          stopJob();
          stopEvents();
        };
      },
    });
  }

  /** A data set a pipeline may read: visible to the caller and fully imported. */
  async readyInput(caller: Caller, id: string): Promise<DatasetRecord> {
    return ready(await this.readable(caller, id));
  }

  private async readable(caller: Caller, id: string): Promise<DatasetRecord> {
    return assertCanRead(caller, "datasets", "Data set", await this.deps.datasets.findById(this.db, id));
  }

  private async importRecord(importId: string): Promise<ImportRecord> {
    const record = await this.deps.imports.findById(this.db, importId);
    if (!record) throw notFound("Import");
    return record;
  }

  private async readableImport(caller: Caller, importId: string): Promise<ImportRecord> {
    return assertCanRead(caller, "datasets", "Import", await this.deps.imports.findById(this.db, importId));
  }
}

function ready(dataset: DatasetRecord): DatasetRecord {
  if (dataset.status === "importing") throw new DomainError("CONFLICT", "This data set is still importing.");
  if (dataset.status === "failed") {
    throw new DomainError("CONFLICT", `This data set's import failed: ${dataset.error ?? "unknown error"}`);
  }
  return dataset;
}

function importSnapshot(record: ImportRecord): ImportProgress {
  const done = record.status === "succeeded" || record.status === "failed";
  return {
    importId: record.id,
    datasetId: record.datasetId,
    status: record.status,
    phase: done ? "done" : record.status === "queued" ? "queued" : "inspecting",
    bytesDone: record.status === "succeeded" ? record.bytesTotal : 0,
    bytesTotal: record.bytesTotal,
    rowsDone: record.rowsImported ?? 0,
    percent: record.status === "succeeded" ? 100 : 0,
    skippedRows: record.skippedRows,
    error: record.error,
    errorLine: record.errorLine,
  };
}

function mergeImportProgress(current: ImportProgress, hint: JobProgress): ImportProgress {
  if (typeof hint !== "object" || current.phase === "done") return current;
  const live = hint as Partial<ImportJobProgress>;
  const bytesDone = Number(live.bytesDone ?? current.bytesDone);
  const loaded = current.bytesTotal > 0 ? bytesDone / current.bytesTotal : 0;
  return {
    ...current,
    status: "running",
    phase: live.phase ?? current.phase,
    bytesDone,
    rowsDone: Number(live.rowsDone ?? current.rowsDone),
    // Loading is most of the work; the last few percent are the commit.
    percent: live.phase === "finishing" ? 99 : Math.min(98, Math.floor(loaded * 98)),
  };
}

/** OWASP's advice for CSV injection, as the export query applies it to text cells. */
function escapeFormula(value: string): string {
  return /^[-=+@\t\r]/.test(value) ? `'${value}` : value;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
