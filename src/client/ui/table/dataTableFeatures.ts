import {
  type ColumnHelper,
  columnFilteringFeature,
  createColumnHelper,
  type RowData,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
} from "@tanstack/react-table";

/**
 * Paging, sorting and filtering, all manual: the server does the work (BaseRepository),
 * TanStack Table keeps the state and the column model. No row models are registered, so
 * the rows are shown exactly as the server returned them.
 */
export const dataTableFeatures = tableFeatures({ rowSortingFeature, rowPaginationFeature, columnFilteringFeature });
export type DataTableFeatures = typeof dataTableFeatures;

/** Column definitions for a DataTable of `TData`: `columnsFor<User>()` then `helper.accessor(...)`. */
export function columnsFor<TData extends RowData>(): ColumnHelper<DataTableFeatures, TData> {
  return createColumnHelper<DataTableFeatures, TData>();
}

/** What `helper.columns([...])` returns: the DataTable's `columns` prop. */
export type DataTableColumns<TData extends RowData> = ReturnType<ColumnHelper<DataTableFeatures, TData>["columns"]>;
