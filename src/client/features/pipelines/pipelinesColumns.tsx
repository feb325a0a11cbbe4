import { Link } from "react-router";
import type { PipelineView } from "../../../shared/schemas/pipelines";
import { formatDateTime } from "../../ui/format";
import { columnsFor } from "../../ui/table/dataTableFeatures";
import { pipelinePath } from "./pipelineLinks";
import { stepTypeLabel } from "./stepCatalog";

const column = columnsFor<PipelineView>();

// Column ids are the server's list fields (pipelineListFields), which is how sorting finds them.
const name = column.accessor("name", {
  header: "Name",
  cell: ({ row }) => (
    <Link to={pipelinePath(row.original.id)} data-testid="pipeline-link">
      {row.original.name}
    </Link>
  ),
});
const steps = column.display({
  id: "steps",
  header: "Steps",
  cell: ({ row }) => {
    const labels = row.original.steps.map((step) => stepTypeLabel(step.type));
    return labels.length === 0 ? <span className="muted-line">none</span> : <span>{labels.join(" → ")}</span>;
  },
});
const schedule = column.display({
  id: "schedule",
  header: "Schedule",
  cell: ({ row }) =>
    row.original.schedule ? <code>{row.original.schedule}</code> : <span className="muted-line">—</span>,
});
const updated = column.accessor("updatedAt", {
  header: "Updated",
  cell: ({ getValue }) => <time dateTime={getValue().toISOString()}>{formatDateTime(getValue())}</time>,
});

/** Module scope: the table needs stable columns. */
export const pipelineColumns = column.columns([name, steps, schedule, updated]);
