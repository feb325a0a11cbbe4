import { z } from "zod";
import { filterOperators, MAX_PAGE_SIZE } from "../constants.js";
import { isUuid } from "../ids.js";
import { text } from "./text.js";

/**
 * The paged/sorted/filtered list shape every table screen uses: the DataTable sends it,
 * the routers validate it, BaseRepository turns it into SQL.
 */
export { filterOperators, MAX_PAGE_SIZE };
export type FilterOperator = (typeof filterOperators)[number];

export type FilterValue = string | number | boolean;

export interface ListQuery<Field extends string = string> {
  page: number;
  pageSize: number;
  sort?: { field: Field; direction: "asc" | "desc" } | undefined;
  filter: Array<{ field: Field; op: FilterOperator; value: FilterValue }>;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * What a filterable field holds, so a filter value is checked here (a 400 naming it) rather
 * than by the database (a 500): an enum lists its values; `integer` is a whole number within
 * 2^53; `date` is anything `Date` reads, between the years 1 and 9999.
 */
export type FilterKind = "text" | "integer" | "date" | "uuid" | "boolean" | readonly string[];

const ORDERED: readonly FilterOperator[] = ["gt", "gte", "lt", "lte"];

/** Why `op` cannot apply to a field of `kind`, or undefined. */
function opProblem(kind: FilterKind, op: FilterOperator): string | undefined {
  if (op === "contains" && kind !== "text") return `"contains" only applies to text columns`;
  if (ORDERED.includes(op) && (typeof kind !== "string" || kind === "uuid" || kind === "boolean")) {
    return `"${op}" does not apply to this column`;
  }
  return undefined;
}

/** The value as the repository compares it (dates as ISO strings), or a message for the user. */
function typed(
  kind: FilterKind,
  value: FilterValue,
): { ok: true; value: FilterValue } | { ok: false; message: string } {
  const text = String(value);
  if (typeof kind !== "string") {
    return kind.includes(text)
      ? { ok: true, value: text }
      : { ok: false, message: `Choose one of: ${kind.join(", ")}` };
  }
  switch (kind) {
    case "text":
      return { ok: true, value: text };
    case "uuid":
      return isUuid(text) ? { ok: true, value: text.toLowerCase() } : { ok: false, message: "Not a valid id" };
    case "integer": {
      const number = typeof value === "number" ? value : text.trim() === "" ? Number.NaN : Number(text);
      if (typeof value === "boolean" || !Number.isSafeInteger(number))
        return { ok: false, message: "Enter a whole number" };
      return { ok: true, value: number };
    }
    case "date": {
      const date = typeof value === "boolean" ? new Date(Number.NaN) : new Date(value);
      const year = date.getUTCFullYear();
      if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) {
        return { ok: false, message: "Enter a date, e.g. 2026-01-31" };
      }
      return { ok: true, value: date.toISOString() };
    }
    case "boolean":
      if (value === true || text === "true") return { ok: true, value: true };
      if (value === false || text === "false") return { ok: true, value: false };
      return { ok: false, message: "Enter true or false" };
  }
}

/**
 * Builds the list input schema for a table whose sortable/filterable columns are `fields`;
 * `kinds` says what each holds, so filter values are checked before any query runs.
 */
export function listQuerySchema<const F extends readonly [string, ...string[]]>(
  fields: F,
  kinds: Record<F[number], FilterKind>,
) {
  const field = z.enum(fields);
  const filterItem = z
    .object({
      field,
      op: z.enum(filterOperators),
      value: z.union([text().max(200), z.number(), z.boolean()]),
    })
    .transform((item, ctx) => {
      const kind: FilterKind = kinds[item.field as F[number]];
      const badOp = opProblem(kind, item.op);
      if (badOp) {
        ctx.addIssue({ code: "custom", message: badOp, path: ["op"] });
        return z.NEVER;
      }
      const value = typed(kind, item.value);
      if (!value.ok) {
        ctx.addIssue({ code: "custom", message: value.message, path: ["value"] });
        return z.NEVER;
      }
      return { ...item, value: value.value };
    });
  return z.object({
    page: z.number().int().min(1).default(1),
    pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
    sort: z.object({ field, direction: z.enum(["asc", "desc"]) }).optional(),
    filter: z.array(filterItem).max(10).default([]),
  });
}
