import type { RunStatus } from "../../../shared/schemas/pipelines";
import { runStatusLabel, runStatusTone } from "./runStatus";

/** The word carries the status; the colour only repeats it. `data-status` is the raw value for tests and styles. */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`badge badge-${runStatusTone(status)}`} data-status={status} data-testid="run-status">
      {runStatusLabel(status)}
    </span>
  );
}
