import type { DatasetColumn, DatasetRow } from "../../../shared/schemas/pipelines";
import { isNumericType } from "../../lib/localeNumbers";
import { DataCell } from "../../ui/DataCell";
import { columnsFor } from "../../ui/table/dataTableFeatures";
import { fieldOf, ROW_FIELD } from "./rowsQuery";

const column = columnsFor<DatasetRow>();

/**
 * The table's columns for a data set: the row's position, then one per column, with ids by
 * position (see rowsQuery.ts). Built once per data set; the table needs stable columns.
 */
export function datasetRowColumns(columns: readonly DatasetColumn[]) {
  return column.columns([
    column.accessor((row) => row.id, {
      id: ROW_FIELD,
      header: () => <span title="Position in the data set">#</span>,
      cell: ({ getValue }) => <span className="muted-line">{getValue()}</span>,
    }),
    ...columns.map((dataColumn, index) =>
      column.accessor((row) => row.values[dataColumn.name] ?? null, {
        id: fieldOf(index),
        header: () => (
          <span className="column-head" data-numeric={isNumericType(dataColumn.type) || undefined}>
            {dataColumn.name} <span className="column-type">{dataColumn.type}</span>
          </span>
        ),
        cell: ({ getValue }) => <DataCell value={getValue()} type={dataColumn.type} />,
      }),
    ),
  ]);
}
