import type { ColumnFiltersState, PaginationState, SortingState } from "@tanstack/react-table";
import { cleanFilterValue, type ListSort, type ListSpec, type ListState } from "./listParams";

/**
 * The bridge between the URL's list state and TanStack Table's controlled state. The
 * table only renders and reports changes (manual paging, sorting and filtering); the
 * server does the work, and the URL is the one source of truth.
 */
export function toSorting<F extends string>(sort: ListSort<F>): SortingState {
  return [{ id: sort.field, desc: sort.direction === "desc" }];
}

/** The table's new sorting as a list sort; sorting is never removed, so an empty state means the default. */
export function fromSorting<F extends string>(sorting: SortingState, spec: ListSpec<F>): ListSort<F> {
  for (const entry of sorting) {
    const field = spec.sortable.find((candidate) => candidate === entry.id);
    if (field) return { field, direction: entry.desc ? "desc" : "asc" };
  }
  return spec.defaultSort;
}

export function toPagination<F extends string>(state: ListState<F>): PaginationState {
  return { pageIndex: state.page - 1, pageSize: state.pageSize };
}

export function toColumnFilters<F extends string>(filters: Partial<Record<F, string>>): ColumnFiltersState {
  return Object.entries(filters).flatMap(([id, value]) => (typeof value === "string" ? [{ id, value }] : []));
}

export function fromColumnFilters<F extends string>(
  columnFilters: ColumnFiltersState,
  spec: ListSpec<F>,
): Partial<Record<F, string>> {
  const filters: Partial<Record<F, string>> = {};
  for (const filter of spec.filters) {
    const entry = columnFilters.find((candidate) => candidate.id === filter.field);
    const value = cleanFilterValue(filter, typeof entry?.value === "string" ? entry.value : null);
    if (value) filters[filter.field] = value;
  }
  return filters;
}

/**
 * Applies a change the table reports. A new sort, filter or page size starts again at
 * page 1: the old page number means nothing in the new order.
 */
export function nextListState<F extends string>(
  current: ListState<F>,
  change: { sort?: ListSort<F>; filters?: Partial<Record<F, string>>; pagination?: PaginationState },
): ListState<F> {
  const next: ListState<F> = { ...current, ...(change.sort && { sort: change.sort }) };
  if (change.filters) next.filters = change.filters;
  if (change.pagination) {
    next.pageSize = change.pagination.pageSize;
    next.page = change.pagination.pageIndex + 1;
  }
  const reordered =
    (change.sort && (change.sort.field !== current.sort.field || change.sort.direction !== current.sort.direction)) ||
    (change.filters && !sameFilters(change.filters, current.filters)) ||
    (change.pagination && change.pagination.pageSize !== current.pageSize);
  if (reordered) next.page = 1;
  return next;
}

function sameFilters<F extends string>(a: Partial<Record<F, string>>, b: Partial<Record<F, string>>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<F>;
  return [...keys].every((key) => a[key] === b[key]);
}
