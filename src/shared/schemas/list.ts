import { z } from "zod";
import { filterOperators, MAX_PAGE_SIZE } from "../constants.js";
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

/** Builds the list input schema for a table whose sortable/filterable columns are `fields`. */
export function listQuerySchema<const F extends readonly [string, ...string[]]>(fields: F) {
  const field = z.enum(fields);
  return z.object({
    page: z.number().int().min(1).default(1),
    pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
    sort: z.object({ field, direction: z.enum(["asc", "desc"]) }).optional(),
    filter: z
      .array(
        z.object({
          field,
          op: z.enum(filterOperators),
          value: z.union([text().max(200), z.number(), z.boolean()]),
        }),
      )
      .max(10)
      .default([]),
  });
}
