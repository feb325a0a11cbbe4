import { Link } from "react-router";
import { shortId } from "../../../shared/ids";
import type { RunView } from "../../../shared/schemas/pipelines";
import { formatDateTime } from "../../ui/format";
import { columnsFor } from "../../ui/table/dataTableFeatures";
import { pipelinePath } from "./pipelineLinks";
import { RunLive } from "./RunLive";

const column = columnsFor<RunView>();

const when = (date: Date | null) =>
  date ? <time dateTime={date.toISOString()}>{formatDateTime(date)}</time> : <span className="muted-line">—</span>;

// Column ids are the server's list fields (runListFields), which is how sorting finds them.
const created = column.accessor("createdAt", { header: "Started", cell: ({ getValue }) => when(getValue()) });
const status = column.accessor("status", { header: "Status", cell: ({ row }) => <RunLive run={row.original} /> });
const trigger = column.accessor("trigger", {
  header: "Trigger",
  cell: ({ getValue }) => (getValue() === "schedule" ? "Schedule" : "Manual"),
});
const finished = column.accessor("finishedAt", { header: "Finished", cell: ({ getValue }) => when(getValue()) });
const pipeline = column.accessor("pipelineId", {
  header: "Pipeline",
  cell: ({ getValue }) => (
    <Link to={pipelinePath(getValue())} title={getValue()}>
      {shortId(getValue())}
    </Link>
  ),
});

/** Module scope: the table needs stable columns. A pipeline's own runs need no pipeline column. */
export const pipelineRunColumns = column.columns([created, status, trigger, finished]);
export const allRunColumns = column.columns([created, pipeline, status, trigger, finished]);
