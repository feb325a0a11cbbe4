import type { ImportProgress, UploadAccepted } from "../../../shared/schemas/pipelines";

/**
 * An upload as the form shows it: bytes going up, then the server importing them, then the
 * outcome. One bar follows both stages; the phase says which one it is measuring.
 */
export type UploadState =
  | { phase: "idle" }
  | { phase: "sending"; bytesSent: number; bytesTotal: number }
  | { phase: "importing"; datasetId: string; importId: string; progress: ImportProgress | null }
  | { phase: "done"; datasetId: string; rowsImported: number; skippedRows: number }
  | { phase: "failed"; message: string; datasetId: string | null };

export type UploadEvent =
  | { type: "start"; bytesTotal: number }
  | { type: "sent"; bytesSent: number; bytesTotal: number }
  | { type: "accepted"; accepted: UploadAccepted }
  | { type: "progress"; progress: ImportProgress }
  | { type: "rejected"; message: string }
  | { type: "reset" };

export const IDLE: UploadState = { phase: "idle" };

export function uploadReducer(state: UploadState, event: UploadEvent): UploadState {
  switch (event.type) {
    case "start":
      return { phase: "sending", bytesSent: 0, bytesTotal: event.bytesTotal };
    case "sent":
      // A late progress event must not pull a finished upload back.
      return state.phase === "sending" ? { ...state, bytesSent: event.bytesSent, bytesTotal: event.bytesTotal } : state;
    case "accepted":
      return { phase: "importing", ...event.accepted, progress: null };
    case "progress": {
      if (state.phase !== "importing" || event.progress.importId !== state.importId) return state;
      const { progress } = event;
      if (progress.status === "succeeded") {
        return {
          phase: "done",
          datasetId: state.datasetId,
          rowsImported: progress.rowsDone,
          skippedRows: progress.skippedRows,
        };
      }
      if (progress.status === "failed") {
        return { phase: "failed", message: importFailure(progress), datasetId: state.datasetId };
      }
      return { ...state, progress };
    }
    case "rejected":
      return state.phase === "done" ? state : { phase: "failed", message: event.message, datasetId: null };
    case "reset":
      return IDLE;
  }
}

/** The server's reason, with the line of the bad row when the reason does not say it already. */
export function importFailure(progress: Pick<ImportProgress, "error" | "errorLine">): string {
  const message = progress.error ?? "The import failed.";
  if (progress.errorLine === null || /\bline\s+\d+/i.test(message)) return message;
  return `Line ${progress.errorLine}: ${message}`;
}

/** 0–100 for the bar, or null when there is nothing to measure. */
export function uploadPercent(state: UploadState): number | null {
  switch (state.phase) {
    case "sending":
      return state.bytesTotal > 0 ? Math.min(100, Math.floor((state.bytesSent / state.bytesTotal) * 100)) : 0;
    case "importing":
      return state.progress?.percent ?? 0;
    case "done":
      return 100;
    default:
      return null;
  }
}

const PHASE_WORDS: Record<ImportProgress["phase"], string> = {
  queued: "Waiting for the importer",
  inspecting: "Reading the columns",
  loading: "Loading rows",
  finishing: "Finishing",
  done: "Done",
};

/** The words next to the bar; they carry what the bar shows, for those who cannot see it. */
export function uploadStatusText(state: UploadState): string {
  switch (state.phase) {
    case "idle":
      return "";
    case "sending":
      return `Uploading ${formatBytes(state.bytesSent)} of ${formatBytes(state.bytesTotal)}`;
    case "importing": {
      const progress = state.progress;
      if (!progress) return "Upload complete; importing";
      const rows = progress.rowsDone > 0 ? ` (${progress.rowsDone.toLocaleString()} rows)` : "";
      return `${PHASE_WORDS[progress.phase]}${rows}`;
    }
    case "done": {
      const skipped = state.skippedRows > 0 ? `; ${state.skippedRows.toLocaleString()} invalid rows were left out` : "";
      return `Imported ${state.rowsImported.toLocaleString()} rows${skipped}.`;
    }
    case "failed":
      return state.message;
  }
}

const UNITS = ["bytes", "KB", "MB", "GB", "TB"];

/** "1.5 MB": binary units, one decimal once past bytes. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} ${UNITS[0]}` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
