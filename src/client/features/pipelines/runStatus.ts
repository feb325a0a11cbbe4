import type { RunProgress, RunStatus, RunView } from "../../../shared/schemas/pipelines";

/** Typed against the server's list, so a new status cannot go unlabelled. Order = the filter's order. */
const runStatusLabels: Record<RunStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  canceled: "Canceled",
};

export const runStatusOptions = (Object.keys(runStatusLabels) as RunStatus[]).map((status) => ({
  value: status,
  label: runStatusLabels[status],
}));

export function runStatusLabel(status: RunStatus): string {
  return runStatusLabels[status];
}

/** Queued and running runs change by themselves (and can be canceled); the others are final. */
export function isActive(status: RunStatus): boolean {
  return status === "queued" || status === "running";
}

export function runStatusTone(status: RunStatus): "up" | "down" | "degraded" | "neutral" {
  if (status === "succeeded") return "up";
  if (status === "failed") return "down";
  if (status === "canceled") return "neutral";
  return "degraded";
}

/** What a run looks like before its live feed says more: from the list's copy of it. */
export function progressOf(run: RunView): RunProgress {
  const total = run.rowsTotal ?? 0;
  return {
    runId: run.id,
    status: run.status,
    rowsDone: run.status === "succeeded" ? total : 0,
    rowsTotal: total,
    percent: run.status === "succeeded" ? 100 : 0,
    estimated: false,
    outputRows: run.outputRows,
    outputDatasetId: run.outputDatasetId,
    error: run.error,
  };
}

/** The words beside a run's bar: "1,200 of 5,000 rows · 24 %", "about 40 %" while estimated. */
export function runProgressText(progress: RunProgress): string {
  const percent = Math.round(progress.percent);
  switch (progress.status) {
    case "queued":
      return "Waiting for a worker";
    case "running": {
      const share = progress.estimated ? `about ${percent} %` : `${percent} %`;
      const rows =
        progress.rowsTotal > 0
          ? `${progress.rowsDone.toLocaleString()} of ${progress.rowsTotal.toLocaleString()} rows · `
          : "";
      return `${rows}${share}`;
    }
    case "succeeded": {
      const output = progress.outputRows === null ? "" : ` → ${progress.outputRows.toLocaleString()} rows`;
      return `${progress.rowsTotal.toLocaleString()} rows${output}`;
    }
    case "failed":
      return progress.error ?? "The run failed.";
    case "canceled":
      return "Canceled; no output was kept.";
  }
}

/**
 * The fresher of the list's copy of a run and its live feed: the feed while the list still
 * thinks the run is active, the list once it knows the run ended (and the feed does not say so).
 */
export function latestProgress(run: RunView, live: RunProgress | undefined): RunProgress {
  if (live && live.runId === run.id && (isActive(run.status) || !isActive(live.status))) return live;
  return progressOf(run);
}
