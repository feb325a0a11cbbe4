import type { AuditEntry } from "../../../shared/schemas/audit";
import { formatDateTime } from "../../ui/format";
import { columnsFor } from "../../ui/table/dataTableFeatures";
import { describeActor, summarizePayload } from "./auditSummary";

const column = columnsFor<AuditEntry>();

export const auditColumns = column.columns([
  column.accessor("occurredAt", {
    header: "When",
    cell: ({ getValue }) => <time dateTime={getValue().toISOString()}>{formatDateTime(getValue())}</time>,
  }),
  column.accessor("type", {
    header: "Type",
    cell: ({ getValue }) => <code data-testid="audit-type">{getValue()}</code>,
  }),
  column.accessor("actorId", {
    header: "Actor",
    cell: ({ row }) => describeActor(row.original.actorKind, row.original.actorId),
  }),
  column.display({
    id: "payload",
    header: "Details",
    cell: ({ row }) => (
      <span className="payload" title={JSON.stringify(row.original.payload, null, 1)}>
        {summarizePayload(row.original.payload)}
      </span>
    ),
  }),
]);
