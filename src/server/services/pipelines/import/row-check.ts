import type { ColumnType } from "../../../../shared/schemas/pipelines.js";
import { describeType, isValueOf } from "../values.js";
import { COPY_NULL, copyField } from "./copy-text.js";

export interface LoadColumn {
  name: string;
  type: ColumnType;
}

/** A row as COPY text fields, or what is wrong with it. */
export type CheckedRow = { ok: true; fields: string[] } | { ok: false; message: string };

const show = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

/** PostgreSQL text cannot hold U+0000. */
const NUL_VALUE = "A value contains a NUL character (\\u0000), which no value can hold.";
const hasNul = (value: string) => value.includes("\u0000");

/** CSV cells against the column types; empty cells are NULL. */
export function checkCsvRow(columns: readonly LoadColumn[], cells: readonly string[]): CheckedRow {
  if (cells.length !== columns.length) {
    if (cells.length === 1 && cells[0] === "") return { ok: false, message: "The line is empty." };
    return {
      ok: false,
      message: `The row has ${cells.length} value${cells.length === 1 ? "" : "s"}; the header has ${columns.length}.`,
    };
  }
  const fields: string[] = new Array(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const cell = cells[i] as string;
    const column = columns[i] as LoadColumn;
    if (cell === "") fields[i] = COPY_NULL;
    else if (hasNul(cell)) return { ok: false, message: NUL_VALUE };
    else if (column.type === "text" || isValueOf(column.type, cell)) fields[i] = copyField(cell);
    else return { ok: false, message: `Column "${column.name}": ${show(cell)} is not ${describeType(column.type)}.` };
  }
  return { ok: true, fields };
}

/** One JSON object against the columns: unknown fields and values of another type are errors. */
export function checkJsonRow(
  columns: readonly LoadColumn[],
  indexByKey: ReadonlyMap<string, number>,
  object: Record<string, unknown>,
): CheckedRow {
  const fields: string[] = new Array(columns.length).fill(COPY_NULL);
  for (const [key, value] of Object.entries(object)) {
    const index = indexByKey.get(key);
    if (index === undefined) {
      return { ok: false, message: `Unknown field ${show(key)}: fields are taken from the first lines of the file.` };
    }
    const column = columns[index] as LoadColumn;
    if (typeof value === "string" && hasNul(value)) return { ok: false, message: NUL_VALUE };
    const text = jsonCell(column.type, value);
    if (text === undefined) {
      return {
        ok: false,
        message: `Field "${column.name}": ${show(JSON.stringify(value))} is not ${describeType(column.type)}.`,
      };
    }
    fields[index] = text;
  }
  return { ok: true, fields };
}

function jsonCell(type: ColumnType, value: unknown): string | undefined {
  if (value === null || value === undefined) return COPY_NULL;
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value) ? String(value) : undefined;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
    case "boolean":
      return typeof value === "boolean" ? String(value) : undefined;
    case "date":
    case "timestamp":
      return typeof value === "string" && isValueOf(type, value) ? copyField(value) : undefined;
    case "text":
      return copyField(typeof value === "string" ? value : JSON.stringify(value));
  }
}
