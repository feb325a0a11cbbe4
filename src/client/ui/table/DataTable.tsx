import { type ColumnFiltersState, functionalUpdate, type Header, type RowData, useTable } from "@tanstack/react-table";
import { type ReactNode, useEffect } from "react";
import type { Page } from "../../../shared/schemas/list";
import type { ApiError } from "../../lib/api/apiError";
import { ErrorMessage } from "../ErrorMessage";
import { type DataTableColumns, type DataTableFeatures, dataTableFeatures } from "./dataTableFeatures";
import { DEFAULT_PAGE_SIZES, type ListSpec, pageCount } from "./listParams";
import { Pagination } from "./Pagination";
import { TableFilters } from "./TableFilters";
import { fromColumnFilters, fromSorting, nextListState, toColumnFilters, toPagination, toSorting } from "./tableState";
import type { ListStateControl } from "./useListState";

/** The part of a react-query result the table shows. */
export interface DataTableResult<TData> {
  data: Page<TData> | undefined;
  isPending: boolean;
  isFetching: boolean;
  error: ApiError | null;
}

interface DataTableProps<TData extends RowData, F extends string> {
  /** Names the table for assistive technology, e.g. "Users". */
  caption: string;
  columns: DataTableColumns<TData>;
  spec: ListSpec<F>;
  list: ListStateControl<F>;
  result: DataTableResult<TData>;
  getRowId(row: TData): string;
  /** e.g. ["user", "users"], for "1 user" / "57 users". */
  noun: readonly [singular: string, plural: string];
  emptyMessage?: string;
  /** Extra attributes per row: a class, or `data-*` hooks for tests and styles. */
  rowProps?(row: TData): RowAttributes;
  /** Shown between the filters and the table (e.g. a live indicator). */
  toolbar?: ReactNode;
}

type RowAttributes = { className?: string | undefined } & { [data: `data-${string}`]: string | boolean | undefined };

/** Stable, so an empty page does not rebuild the table's rows on every render. */
const NO_ROWS: never[] = [];

/**
 * The one table for server-side lists: paging, sorting and filtering happen on the server
 * (the list procedures), the state lives in the URL (useListState), and TanStack Table
 * provides the column model. Sortable headers are buttons with `aria-sort`; every filter
 * has a label; the total and loading state are announced.
 */
export function DataTable<TData extends RowData, F extends string>(props: DataTableProps<TData, F>) {
  const { caption, columns, spec, list, result, getRowId, noun } = props;
  const { state } = list;
  const sorting = toSorting(state.sort);
  const pagination = toPagination(state);
  const columnFilters: ColumnFiltersState = toColumnFilters(state.filters);
  const total = result.data?.total ?? 0;

  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: result.data?.items ?? NO_ROWS,
    getRowId: (row) => getRowId(row),
    rowCount: total,
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    enableMultiSort: false,
    // Every list has an order; clicking a sorted column flips it rather than dropping it.
    enableSortingRemoval: false,
    state: { sorting, pagination, columnFilters },
    onSortingChange: (updater) =>
      list.update(nextListState(state, { sort: fromSorting(functionalUpdate(updater, sorting), spec) })),
    onPaginationChange: (updater) =>
      list.update(nextListState(state, { pagination: functionalUpdate(updater, pagination) })),
    onColumnFiltersChange: (updater) =>
      list.update(
        nextListState(state, { filters: fromColumnFilters(functionalUpdate(updater, columnFilters), spec) }),
        {
          replace: true,
        },
      ),
  });

  // A page past the end (rows deleted, a stale link): go to the last page that has rows.
  const lastPage = pageCount(total, state.pageSize);
  const pastTheEnd = result.data !== undefined && !result.isFetching && state.page > lastPage;
  useEffect(() => {
    if (pastTheEnd) list.update({ ...state, page: lastPage }, { replace: true });
  }, [pastTheEnd, lastPage, state, list]);

  const setFilter = (field: F, value: string, options: { replace: boolean }) =>
    list.update(nextListState(state, { filters: { ...state.filters, [field]: value } }), options);

  const rows = table.getRowModel().rows;
  const columnCount = table.getAllLeafColumns().length;
  const busy = result.isPending || result.isFetching;

  return (
    <div className="data-table">
      <TableFilters
        label={`Filter ${caption.toLowerCase()}`}
        filters={spec.filters}
        values={state.filters}
        onChange={setFilter}
      />
      <div className="table-toolbar">
        <p role="status" className="table-count" data-testid="table-total">
          {result.data ? `${total} ${total === 1 ? noun[0] : noun[1]}` : "Loading…"}
        </p>
        {props.toolbar}
      </div>
      {result.error ? <ErrorMessage error={result.error} title={`Could not load the ${noun[1]}`} /> : null}
      <div className="table-scroll">
        <table className="list-table" aria-busy={busy} data-fetching={result.isFetching}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <HeaderCell key={header.id} header={header} sortable={spec.sortable.includes(header.column.id as F)}>
                    {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                  </HeaderCell>
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {result.isPending ? (
              <tr>
                <td colSpan={columnCount} className="table-note">
                  Loading {noun[1]}…
                </td>
              </tr>
            ) : rows.length === 0 ? (
              <tr>
                <td colSpan={columnCount} className="table-note" data-testid="table-empty">
                  {props.emptyMessage ?? `No ${noun[1]} match these filters.`}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.id} {...props.rowProps?.(row.original)}>
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pagination
        label={`${caption} pages`}
        page={state.page}
        pageSize={state.pageSize}
        pageSizes={spec.pageSizes ?? DEFAULT_PAGE_SIZES}
        total={total}
        onPage={(page) => table.setPageIndex(page - 1)}
        onPageSize={(size) => table.setPageSize(size)}
      />
    </div>
  );
}

interface HeaderCellProps<TData extends RowData> {
  header: Header<DataTableFeatures, TData, unknown>;
  sortable: boolean;
  children: ReactNode;
}

/** A sortable header is a button (keyboard reachable) inside a `th` that says how it is sorted. */
function HeaderCell<TData extends RowData>({ header, sortable, children }: HeaderCellProps<TData>) {
  if (!sortable) return <th scope="col">{children}</th>;
  const sorted = header.column.getIsSorted();
  const ariaSort = sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none";
  return (
    <th scope="col" aria-sort={ariaSort}>
      <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
        {children}
        <span aria-hidden="true" className="sort-mark">
          {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
        </span>
      </button>
    </th>
  );
}
