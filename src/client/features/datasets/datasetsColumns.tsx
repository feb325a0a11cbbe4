import { Link } from "react-router";
import type { DatasetView } from "../../../shared/schemas/pipelines";
import { formatDateTime } from "../../ui/format";
import { columnsFor } from "../../ui/table/dataTableFeatures";
import { DatasetStatusBadge } from "./DatasetStatusBadge";
import { DeleteDatasetButton } from "./DeleteDatasetButton";
import { datasetPath } from "./datasetLinks";

const column = columnsFor<DatasetView>();

export const sourceLabels: Record<DatasetView["source"], string> = { upload: "Upload", pipeline: "Pipeline output" };

// Column ids are the server's list fields (datasetListFields), which is how sorting finds them.
const name = column.accessor("name", {
  header: "Name",
  cell: ({ row }) => (
    <Link to={datasetPath(row.original.id)} data-testid="dataset-link">
      {row.original.name}
    </Link>
  ),
});
const status = column.accessor("status", {
  header: "Status",
  cell: ({ row }) => <DatasetStatusBadge status={row.original.status} title={row.original.error ?? undefined} />,
});
const source = column.accessor("source", { header: "Source", cell: ({ getValue }) => sourceLabels[getValue()] });
const rows = column.accessor("rowCount", {
  header: "Rows",
  cell: ({ getValue }) => {
    const count = getValue();
    return count === null ? "—" : <span className="num">{count.toLocaleString()}</span>;
  },
});
const columnCount = column.display({
  id: "columns",
  header: "Columns",
  cell: ({ row }) => {
    const names = row.original.columns.map((c) => c.name);
    return <span title={names.join(", ")}>{names.length}</span>;
  },
});
const created = column.accessor("createdAt", {
  header: "Created",
  cell: ({ getValue }) => <time dateTime={getValue().toISOString()}>{formatDateTime(getValue())}</time>,
});
const actions = column.display({
  id: "actions",
  header: () => <span className="visually-hidden">Actions</span>,
  cell: ({ row }) => <DeleteDatasetButton dataset={row.original} />,
});

/** Module scope: the table needs stable columns. Viewers who can delete nothing get no actions column. */
export const datasetColumns = column.columns([name, status, source, rows, columnCount, created]);
export const datasetColumnsWithActions = column.columns([name, status, source, rows, columnCount, created, actions]);
