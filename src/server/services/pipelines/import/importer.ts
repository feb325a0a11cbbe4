import { createReadStream } from "node:fs";
import type { BadRow, ColumnType, ImportFormat } from "../../../../shared/schemas/pipelines.js";
import type { StoredColumn } from "../../../db/schema/pipelines.js";
import type { CopyChunk, DatasetTablesRepository, LoadFormat } from "../../../repositories/dataset-tables.js";
import { columnNamesFrom, sqlKeyFor } from "../column-names.js";
import type { Charset } from "./charset.js";
import { explainCopyFailure } from "./copy-errors.js";
import { CopyTextBatch } from "./copy-text.js";
import { type CsvRecord, csvRecords } from "./csv-records.js";
import { decodeFile } from "./decode.js";
import { ImportDataError, MAX_COLUMNS, NUL_MESSAGE, nulInData, tooManyColumns } from "./errors.js";
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
  /** Rows read to infer column types (IMPORT_SAMPLE_ROWS)... */
  sampleRows: number;
  /** ...and at most about this many bytes of memory (IMPORT_SAMPLE_BYTES): the sample is held whole. */
  sampleBytes: number;
  /** Largest single row (IMPORT_RECORD_MAX_BYTES). */
  recordMaxBytes: number;
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

/**
 * Loads one uploaded file into a new typed table. Clean CSV takes the fast path: types are
 * inferred from a sample, then the file's own bytes stream into COPY, and PostgreSQL checks
 * every value (its errors are translated back to lines and header names). JSON Lines, and CSV
 * with skipInvalid, are parsed and checked row by row in JavaScript, which can leave bad rows
 * out, and sent to COPY in its text format. Either way, never an INSERT per row.
 */
export class Importer {
  constructor(private readonly tables: DatasetTablesRepository) {}

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
    // UTF-8 goes to COPY as it is. Other charsets are decoded here, by the very decoder the
    // checked path uses, and sent as UTF-8: the same file gives the same text either way, and
    // the database needs no conversion of its own (PGlite has none for WIN1252 or LATIN9).
    // Single-byte charsets keep every quote and newline where they were.
    const fileBytes = { read: 0 };
    const utf8 = spec.charset.postgres === "UTF8";
    const source = utf8
      ? createReadStream(spec.path, { highWaterMark: 1024 * 1024, signal })
      : asUtf8(decodeFile(spec.path, spec.charset, { signal, onBytes: (read) => (fileBytes.read = read) }));
    const chunks = csvRecordChunks(source, {
      stripBom: utf8,
      maxRecordBytes: spec.recordMaxBytes,
      onProgress: ({ bytes, records }) => {
        rowCount = records;
        onProgress({ phase: "loading", bytesDone: utf8 ? bytes : fileBytes.read, rowsDone: records });
      },
    });
    await this.load(spec, columns, { kind: "csv", encoding: "UTF8" }, chunks, 1, signal);
    return { columns, rowCount, skippedRows: 0, badRows: [] };
  }

  private checkedRows(
    spec: ImportSpec,
    onProgress: (report: ImportProgressReport) => void,
    signal?: AbortSignal,
  ): Promise<ImportOutcome> {
    const progress = { bytesDone: 0 };
    const text = decodeFile(spec.path, spec.charset, { signal, onBytes: (bytes) => (progress.bytesDone = bytes) });
    const limits = { maxRecordBytes: spec.recordMaxBytes };
    return spec.format === "csv"
      ? this.loadChecked(spec, csvSource(text, limits), progress, onProgress, signal)
      : this.loadChecked(spec, jsonSource(text, limits), progress, onProgress, signal);
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

    const first = await source.start(spec);
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
      await this.tables.load(spec.table, columns, format, chunks, signal);
    } catch (error) {
      throw explainCopyFailure(error, columns, spec.charset, lineOffset) ?? error;
    }
  }
}

async function* asUtf8(text: AsyncIterable<string>): AsyncGenerator<Buffer> {
  for await (const chunk of text) yield Buffer.from(chunk, "utf8");
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
  checkHeader(header);
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

/** Checked as soon as the header is read, before any sample row is. */
function checkHeader(header: readonly string[]): void {
  if (header.length > MAX_COLUMNS) throw tooManyColumns(1);
  if (header.some((name) => name.includes("\u0000"))) throw new ImportDataError(NUL_MESSAGE, 1);
}

/** Whether the sample is big enough, by rows or by (about) the memory it holds. */
function sampleFull(spec: Pick<ImportSpec, "sampleRows" | "sampleBytes">, rows: number, bytes: number): boolean {
  return rows >= spec.sampleRows || bytes >= spec.sampleBytes;
}

/**
 * What a parsed value costs in memory beyond its characters (string header, array slot or
 * object property): without it, a row of many one-character values would count as a few
 * bytes while it holds many times that.
 */
const VALUE_OVERHEAD = 32;
const sizeOfFields = (fields: readonly string[]) =>
  fields.reduce((sum, field) => sum + field.length + VALUE_OVERHEAD, 0);

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
  let size = 0;
  const text = decodeFile(spec.path, spec.charset, { signal });
  for await (const record of csvRecords(text, { maxRecordBytes: spec.recordMaxBytes })) {
    if (record.unreadable !== undefined) throw new ImportDataError(record.unreadable, record.line);
    if (!header) {
      header = record.fields;
      checkHeader(header);
      continue;
    }
    sample.push(record);
    size += sizeOfFields(record.fields);
    if (sampleFull(spec, sample.length, size)) break;
  }
  if (!header) throw new ImportDataError("The file is empty.");
  return { header, sample };
}

/** Rows from a JS-parsed format: a sample to infer from, then the rest, checked against the columns. */
interface RowSource<T extends { line: number }> {
  start(
    bounds: Pick<ImportSpec, "sampleRows" | "sampleBytes">,
  ): Promise<{ names: string[]; sample: T[]; infer: (inference: TypeInference) => void }>;
  rest(): AsyncIterable<T>;
  checker(columns: readonly LoadColumn[]): (item: T) => CheckedRow;
}

function csvSource(text: AsyncIterable<string>, limits: { maxRecordBytes: number }): RowSource<CsvRecord> {
  const records = csvRecords(text, limits)[Symbol.asyncIterator]();
  let width = 0;
  return {
    async start(bounds) {
      const first = await records.next();
      if (first.done) throw new ImportDataError("The file is empty.");
      if (first.value.unreadable !== undefined) throw new ImportDataError(first.value.unreadable, first.value.line);
      const header = first.value.fields;
      checkHeader(header);
      width = header.length;
      const sample: CsvRecord[] = [];
      let size = 0;
      while (!sampleFull(bounds, sample.length, size)) {
        const next = await records.next();
        if (next.done) break;
        sample.push(next.value);
        size += sizeOfFields(next.value.fields);
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

function jsonSource(text: AsyncIterable<string>, limits: { maxRecordBytes: number }): RowSource<ParsedLine> {
  const lines = jsonLines(text, { maxLineBytes: limits.maxRecordBytes })[Symbol.asyncIterator]();
  const indexByKey = new Map<string, number>();
  return {
    async start(bounds) {
      const sample: ParsedLine[] = [];
      const keys: string[] = [];
      let size = 0;
      while (!sampleFull(bounds, sample.length, size)) {
        const next = await lines.next();
        if (next.done) break;
        sample.push(next.value);
        if (!next.value.ok) continue;
        const lineKeys = Object.keys(next.value.object);
        size += next.value.chars + lineKeys.length * VALUE_OVERHEAD;
        for (const key of lineKeys) {
          if (!indexByKey.has(key)) {
            // Fields become columns: refused at the first one too many, not after the sample.
            if (keys.length >= MAX_COLUMNS) throw tooManyColumns(next.value.line);
            if (key.includes("\u0000")) throw nulInData(next.value.line);
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
