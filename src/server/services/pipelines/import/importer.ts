import { createReadStream } from "node:fs";
import type { BadRow, ColumnType, ImportFormat } from "../../../../shared/schemas/pipelines.js";
import type { CopyChunk } from "../../../db/bulk.js";
import type { DatabaseHandle } from "../../../db/client.js";
import type { StoredColumn } from "../../../db/schema/pipelines.js";
import type { DatasetTablesRepository, LoadFormat } from "../../../repositories/dataset-tables.js";
import { columnNamesFrom, sqlKeyFor } from "../column-names.js";
import type { Charset } from "./charset.js";
import { explainCopyFailure } from "./copy-errors.js";
import { CopyTextBatch } from "./copy-text.js";
import { type CsvRecord, csvRecords } from "./csv-records.js";
import { decodeFile } from "./decode.js";
import { ImportDataError } from "./errors.js";
import { TypeInference } from "./infer.js";
import { type JsonLine, jsonLines } from "./jsonl.js";
import { csvRecordChunks } from "./record-scanner.js";
import { type CheckedRow, checkCsvRow, checkJsonRow, type LoadColumn } from "./row-check.js";

export interface ImportSpec {
  path: string;
  format: ImportFormat;
  charset: Charset;
  skipInvalid: boolean;
  typeHints: Record<string, ColumnType>;
  table: string;
  /** Rows read to infer column types. */
  sampleRows: number;
}

export interface ImportProgressReport {
  phase: "inspecting" | "loading";
  bytesDone: number;
  rowsDone: number;
}

export interface ImportOutcome {
  columns: StoredColumn[];
  rowCount: number;
  skippedRows: number;
  badRows: BadRow[];
}

const MAX_REPORTED_BAD_ROWS = 100;
const MAX_COLUMNS = 500;

/**
 * Loads one uploaded file into a new typed table. Clean CSV takes the fast path: types are
 * inferred from a sample, then the file's own bytes stream into COPY, and PostgreSQL checks
 * every value (its errors are translated back to lines and header names). JSON Lines, and CSV
 * with skipInvalid, are parsed and checked row by row in JavaScript, which can leave bad rows
 * out, and sent to COPY in its text format. Either way, never an INSERT per row.
 */
export class Importer {
  constructor(
    private readonly handle: DatabaseHandle,
    private readonly tables: DatasetTablesRepository,
  ) {}

  async run(
    spec: ImportSpec,
    onProgress: (report: ImportProgressReport) => void,
    signal?: AbortSignal,
  ): Promise<ImportOutcome> {
    if (spec.format === "csv" && !spec.skipInvalid) return this.fastCsv(spec, onProgress, signal);
    return this.checkedRows(spec, onProgress, signal);
  }

  private async fastCsv(
    spec: ImportSpec,
    onProgress: (report: ImportProgressReport) => void,
    signal?: AbortSignal,
  ): Promise<ImportOutcome> {
    onProgress({ phase: "inspecting", bytesDone: 0, rowsDone: 0 });
    const { header, sample } = await readCsvSample(spec, signal);
    const columns = planColumns(header, spec.typeHints, (inference) => {
      for (const record of sample) {
        const checked = record.fields.length === header.length;
        if (!checked) throw new ImportDataError(raggedMessage(record.fields.length, header.length), record.line);
        record.fields.forEach((cell, i) => {
          inference.addText(i, cell);
        });
      }
    });
    let rowCount = 0;
    const chunks = csvRecordChunks(createReadStream(spec.path, { highWaterMark: 1024 * 1024, signal }), {
      stripBom: spec.charset.label === "utf-8",
      onProgress: ({ bytes, records }) => {
        rowCount = records;
        onProgress({ phase: "loading", bytesDone: bytes, rowsDone: records });
      },
    });
    await this.load(spec, columns, { kind: "csv", encoding: spec.charset.postgres }, chunks, 1, signal);
    return { columns, rowCount, skippedRows: 0, badRows: [] };
  }

  private checkedRows(
    spec: ImportSpec,
    onProgress: (report: ImportProgressReport) => void,
    signal?: AbortSignal,
  ): Promise<ImportOutcome> {
    const progress = { bytesDone: 0 };
    const text = decodeFile(spec.path, spec.charset, { signal, onBytes: (bytes) => (progress.bytesDone = bytes) });
    return spec.format === "csv"
      ? this.loadChecked(spec, csvSource(text), progress, onProgress, signal)
      : this.loadChecked(spec, jsonSource(text), progress, onProgress, signal);
  }

  private async loadChecked<T extends { line: number }>(
    spec: ImportSpec,
    source: RowSource<T>,
    progress: { bytesDone: number },
    onProgress: (report: ImportProgressReport) => void,
    signal?: AbortSignal,
  ): Promise<ImportOutcome> {
    let rowsDone = 0;
    onProgress({ phase: "inspecting", bytesDone: progress.bytesDone, rowsDone });
    const badRows: BadRow[] = [];
    let skippedRows = 0;
    const reject = (line: number, message: string) => {
      if (!spec.skipInvalid) throw new ImportDataError(message, line);
      skippedRows++;
      if (badRows.length < MAX_REPORTED_BAD_ROWS) badRows.push({ line, message });
    };

    const first = await source.start(spec.sampleRows);
    const columns = planColumns(first.names, spec.typeHints, first.infer);
    const check = source.checker(columns);
    const sample = first.sample;

    async function* chunks(): AsyncGenerator<CopyChunk> {
      const batch = new CopyTextBatch();
      const take = (row: { line: number; checked: CheckedRow }) => {
        if (!row.checked.ok) {
          reject(row.line, row.checked.message);
          return false;
        }
        rowsDone++;
        return batch.add(row.checked.fields);
      };
      for (const item of sample) if (take({ line: item.line, checked: check(item) })) yield batch.take();
      for await (const item of source.rest()) {
        if (take({ line: item.line, checked: check(item) })) {
          onProgress({ phase: "loading", bytesDone: progress.bytesDone, rowsDone });
          yield batch.take();
        }
      }
      if (batch.records > 0) yield batch.take();
      onProgress({ phase: "loading", bytesDone: progress.bytesDone, rowsDone });
      if (rowsDone === 0) {
        throw new ImportDataError(skippedRows > 0 ? "No row of the file is valid." : "The file has no data rows.");
      }
    }

    await this.load(spec, columns, { kind: "text" }, chunks(), undefined, signal);
    return { columns, rowCount: rowsDone, skippedRows, badRows };
  }

  private async load(
    spec: ImportSpec,
    columns: StoredColumn[],
    format: LoadFormat,
    chunks: AsyncIterable<CopyChunk>,
    lineOffset: number | undefined,
    signal?: AbortSignal,
  ): Promise<void> {
    try {
      await this.tables.load(this.handle, spec.table, columns, format, chunks, signal);
    } catch (error) {
      throw explainCopyFailure(error, columns, spec.charset, lineOffset) ?? error;
    }
  }
}

/** Names from the header, types from the sample (or the uploader's hints), SQL keys from the names. */
function planColumns(
  header: readonly string[],
  hints: Record<string, ColumnType>,
  feed: (inference: TypeInference) => void,
): StoredColumn[] {
  if (header.length === 0 || (header.length === 1 && header[0]?.trim() === "")) {
    throw new ImportDataError("The file is empty.");
  }
  if (header.length > MAX_COLUMNS) throw new ImportDataError(`The file has more than ${MAX_COLUMNS} columns.`, 1);
  const names = columnNamesFrom(header);
  const unknown = Object.keys(hints).filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new ImportDataError(`Type hints name columns the file does not have: ${unknown.join(", ")}.`);
  }
  const inference = new TypeInference(names.length);
  feed(inference);
  // Own keys only: a column named `constructor` has no hint unless the uploader gave one.
  const types = inference.types(names.map((name) => (Object.hasOwn(hints, name) ? hints[name] : undefined)));
  const taken = new Set<string>();
  return names.map((name, i) => ({ name, key: sqlKeyFor(name, taken), type: types[i] ?? "text" }));
}

function raggedMessage(got: number, expected: number): string {
  if (got === 1) return `The row has 1 value; the header has ${expected}. (Is the line empty?)`;
  return `The row has ${got} values; the header has ${expected}.`;
}

async function readCsvSample(
  spec: ImportSpec,
  signal?: AbortSignal,
): Promise<{ header: string[]; sample: CsvRecord[] }> {
  const sample: CsvRecord[] = [];
  let header: string[] | undefined;
  for await (const record of csvRecords(decodeFile(spec.path, spec.charset, { signal }))) {
    if (record.unreadable !== undefined) throw new ImportDataError(record.unreadable, record.line);
    if (!header) header = record.fields;
    else sample.push(record);
    if (sample.length >= spec.sampleRows) break;
  }
  if (!header) throw new ImportDataError("The file is empty.");
  return { header, sample };
}

/** Rows from a JS-parsed format: a sample to infer from, then the rest, checked against the columns. */
interface RowSource<T extends { line: number }> {
  start(sampleRows: number): Promise<{ names: string[]; sample: T[]; infer: (inference: TypeInference) => void }>;
  rest(): AsyncIterable<T>;
  checker(columns: readonly LoadColumn[]): (item: T) => CheckedRow;
}

function csvSource(text: AsyncIterable<string>): RowSource<CsvRecord> {
  const records = csvRecords(text)[Symbol.asyncIterator]();
  let width = 0;
  return {
    async start(sampleRows) {
      const first = await records.next();
      if (first.done) throw new ImportDataError("The file is empty.");
      if (first.value.unreadable !== undefined) throw new ImportDataError(first.value.unreadable, first.value.line);
      const header = first.value.fields;
      width = header.length;
      const sample: CsvRecord[] = [];
      while (sample.length < sampleRows) {
        const next = await records.next();
        if (next.done) break;
        sample.push(next.value);
      }
      return {
        names: header,
        sample,
        // Ragged rows say nothing about types; they are rejected when checked.
        infer: (inference) => {
          for (const record of sample) {
            if (record.fields.length === width)
              record.fields.forEach((cell, i) => {
                inference.addText(i, cell);
              });
          }
        },
      };
    },
    rest: () => ({ [Symbol.asyncIterator]: () => records }),
    checker: (columns) => (record) =>
      record.unreadable === undefined ? checkCsvRow(columns, record.fields) : { ok: false, message: record.unreadable },
  };
}

type ParsedLine = Extract<JsonLine, { ok: true }> | Extract<JsonLine, { ok: false }>;

function jsonSource(text: AsyncIterable<string>): RowSource<ParsedLine> {
  const lines = jsonLines(text)[Symbol.asyncIterator]();
  const indexByKey = new Map<string, number>();
  return {
    async start(sampleRows) {
      const sample: ParsedLine[] = [];
      const keys: string[] = [];
      while (sample.length < sampleRows) {
        const next = await lines.next();
        if (next.done) break;
        sample.push(next.value);
        if (!next.value.ok) continue;
        for (const key of Object.keys(next.value.object)) {
          if (!indexByKey.has(key)) {
            indexByKey.set(key, keys.length);
            keys.push(key);
          }
        }
      }
      if (sample.length === 0) throw new ImportDataError("The file is empty.");
      if (keys.length === 0) {
        const firstBad = sample.find((line) => !line.ok);
        if (firstBad && !firstBad.ok) throw new ImportDataError(firstBad.message, firstBad.line);
        throw new ImportDataError("The objects in the file have no fields.");
      }
      return {
        names: keys,
        sample,
        infer: (inference) => {
          for (const line of sample) {
            if (!line.ok) continue;
            for (const [key, value] of Object.entries(line.object)) inference.addJson(indexByKey.get(key) ?? -1, value);
          }
        },
      };
    },
    rest: () => ({ [Symbol.asyncIterator]: () => lines }),
    checker: (columns) => (line) => (line.ok ? checkJsonRow(columns, indexByKey, line.object) : line),
  };
}
