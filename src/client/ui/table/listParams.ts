import { MAX_PAGE_SIZE } from "../../../shared/constants";
import type { FilterOperator, ListQuery } from "../../../shared/schemas/list";

export type SortDirection = "asc" | "desc";

export interface ListSort<F extends string> {
  field: F;
  direction: SortDirection;
}

export interface FilterSpec<F extends string> {
  field: F;
  op: FilterOperator;
  /** The input's label, e.g. "Email contains". */
  label: string;
  /** Offered as a select; a text box when absent. */
  options?: ReadonlyArray<{ value: string; label: string }>;
}

/** What a table screen lets the user do: the server's list fields, and how the UI offers them. */
export interface ListSpec<F extends string> {
  sortable: readonly F[];
  defaultSort: ListSort<F>;
  filters: ReadonlyArray<FilterSpec<F>>;
  pageSizes?: readonly number[];
  defaultPageSize?: number;
}

/** Page, sort and filters as the URL holds them (filter values are what the inputs show). */
export interface ListState<F extends string> {
  page: number;
  pageSize: number;
  sort: ListSort<F>;
  filters: Partial<Record<F, string>>;
}

export const DEFAULT_PAGE_SIZES = [10, 20, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 20;
/** The schema caps filter values at 200 characters; longer input would only fail. */
const MAX_FILTER_LENGTH = 200;

const pageSizesOf = <F extends string>(spec: ListSpec<F>) => spec.pageSizes ?? DEFAULT_PAGE_SIZES;
const defaultPageSizeOf = <F extends string>(spec: ListSpec<F>) => spec.defaultPageSize ?? DEFAULT_PAGE_SIZE;

/**
 * Reads the table state from the URL (`?page=2&size=50&sort=email.asc&role=admin`).
 * The URL is user input: anything unknown or malformed falls back to the default
 * rather than sending the server a query it would refuse.
 */
export function readListState<F extends string>(params: URLSearchParams, spec: ListSpec<F>): ListState<F> {
  const page = Number(params.get("page"));
  const size = Number(params.get("size"));
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: pageSizesOf(spec).includes(size) && size <= MAX_PAGE_SIZE ? size : defaultPageSizeOf(spec),
    sort: parseSort(params.get("sort"), spec),
    filters: readFilters(params, spec),
  };
}

function parseSort<F extends string>(raw: string | null, spec: ListSpec<F>): ListSort<F> {
  const match = raw?.match(/^([A-Za-z0-9_]+)\.(asc|desc)$/);
  const field = spec.sortable.find((candidate) => candidate === match?.[1]);
  if (!field || !match) return spec.defaultSort;
  return { field, direction: match[2] === "asc" ? "asc" : "desc" };
}

function readFilters<F extends string>(params: URLSearchParams, spec: ListSpec<F>): Partial<Record<F, string>> {
  const filters: Partial<Record<F, string>> = {};
  for (const filter of spec.filters) {
    const value = cleanFilterValue(filter, params.get(filter.field));
    if (value) filters[filter.field] = value;
  }
  return filters;
}

/** A usable filter value, or null: trimmed, within the length limit, one of the options if there are options. */
export function cleanFilterValue<F extends string>(
  filter: FilterSpec<F>,
  raw: string | null | undefined,
): string | null {
  const value = raw?.trim().slice(0, MAX_FILTER_LENGTH) ?? "";
  if (!value) return null;
  if (filter.options && !filter.options.some((option) => option.value === value)) return null;
  return value;
}

/**
 * Writes the table state into a copy of `params`, leaving other parameters alone and
 * leaving defaults out, so a plain `/admin/users` stays plain.
 */
export function writeListState<F extends string>(
  params: URLSearchParams,
  state: ListState<F>,
  spec: ListSpec<F>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  setOrDelete(next, "page", state.page > 1 ? String(state.page) : null);
  setOrDelete(next, "size", state.pageSize !== defaultPageSizeOf(spec) ? String(state.pageSize) : null);
  const isDefaultSort =
    state.sort.field === spec.defaultSort.field && state.sort.direction === spec.defaultSort.direction;
  setOrDelete(next, "sort", isDefaultSort ? null : `${state.sort.field}.${state.sort.direction}`);
  for (const filter of spec.filters)
    setOrDelete(next, filter.field, cleanFilterValue(filter, state.filters[filter.field]));
  return next;
}

function setOrDelete(params: URLSearchParams, key: string, value: string | null): void {
  if (value === null) params.delete(key);
  else params.set(key, value);
}

/** The query the server's list procedures take (src/shared/schemas/list.ts). */
export function toListQuery<F extends string>(state: ListState<F>, spec: ListSpec<F>): ListQuery<F> {
  const filter: ListQuery<F>["filter"] = [];
  for (const filterSpec of spec.filters) {
    const value = cleanFilterValue(filterSpec, state.filters[filterSpec.field]);
    if (value) filter.push({ field: filterSpec.field, op: filterSpec.op, value });
  }
  return { page: state.page, pageSize: state.pageSize, sort: state.sort, filter };
}

/** At least one page, so "page 1 of 1" reads right for an empty list. */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
