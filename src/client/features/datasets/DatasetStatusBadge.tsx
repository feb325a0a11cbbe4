import type { DatasetStatus } from "../../../shared/schemas/pipelines";

const labels: Record<DatasetStatus, string> = { importing: "Importing", ready: "Ready", failed: "Failed" };
const tones: Record<DatasetStatus, string> = { importing: "degraded", ready: "up", failed: "down" };

/** For the status filter; built from the labels, so the browser bundle needs no schema library. */
export const datasetStatusOptions = (Object.keys(labels) as DatasetStatus[]).map((status) => ({
  value: status,
  label: labels[status],
}));

/** The word carries the status; the colour only repeats it. */
export function DatasetStatusBadge({ status, title }: { status: DatasetStatus; title?: string | undefined }) {
  return (
    <span className={`badge badge-${tones[status]}`} data-status={status} data-testid="dataset-status" title={title}>
      {labels[status]}
    </span>
  );
}
