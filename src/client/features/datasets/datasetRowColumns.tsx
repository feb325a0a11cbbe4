import type { CellValue, ColumnType, DatasetColumn, DatasetRow } from "../../../shared/schemas/pipelines";
import { columnsFor } from "../../ui/table/dataTableFeatures";
import { cellText, fieldOf, ROW_FIELD } from "./rowsQuery";

const column = columnsFor<DatasetRow>();

const NUMERIC: readonly ColumnType[] = ["integer", "number"];

function Cell({ value, type }: { value: CellValue; type: ColumnType }) {
  if (value === null) {
    return (
      <span className="cell-empty" title="empty">
        {cellText(value)}
      </span>
    );
  }
  return <span className={NUMERIC.includes(type) ? "num" : undefined}>{cellText(value)}</span>;
}

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
          <span className="column-head">
            {dataColumn.name} <span className="column-type">{dataColumn.type}</span>
          </span>
        ),
        cell: ({ getValue }) => <Cell value={getValue()} type={dataColumn.type} />,
      }),
    ),
  ]);
}
