import type { CellValue, ColumnType, DatasetColumn, DatasetRow } from "../../../shared/schemas/pipelines";
import { columnsFor } from "../../components/dataTableFeatures";
import { formatCell, isNumericType } from "../../lib/localeNumbers";
import { cellText, fieldOf, ROW_FIELD } from "./rowsQuery";

const column = columnsFor<DatasetRow>();

/** Numbers in the user's locale, right-aligned; the exact value is in the title (and the CSV export). */
export function Cell({ value, type }: { value: CellValue; type: ColumnType }) {
  if (value === null) {
    return (
      <span className="cell-empty" title="empty">
        {cellText(value)}
      </span>
    );
  }
  if (!isNumericType(type)) return <span>{cellText(value)}</span>;
  const shown = formatCell(value, type);
  return (
    <span className="num" title={shown === String(value) ? undefined : String(value)}>
      {shown}
    </span>
  );
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
          <span className="column-head" data-numeric={isNumericType(dataColumn.type) || undefined}>
            {dataColumn.name} <span className="column-type">{dataColumn.type}</span>
          </span>
        ),
        cell: ({ getValue }) => <Cell value={getValue()} type={dataColumn.type} />,
      }),
    ),
  ]);
}
