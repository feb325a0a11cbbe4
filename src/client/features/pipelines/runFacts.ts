import type { RunView } from "../../../shared/schemas/pipelines";

/** "850 ms", "12.4 s", "3 min 05 s", "1 h 02 min": how long a run took, to the useful precision. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** How long the run took (or has taken so far, against `now`); null before it started. */
export function runDuration(run: Pick<RunView, "startedAt" | "finishedAt">, now: Date): string | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ?? now;
  return formatDuration(end.getTime() - run.startedAt.getTime());
}

/**
 * What a failed run's stored error means for the person reading it, and what to do: the
 * server's message stays (it names the step or limit), followed by the next step to take.
 */
export function runErrorAdvice(error: string): string {
  if (/PIPELINE_JOIN_MAX_ROWS|more rows than/i.test(error)) {
    return "Narrow the join (filter either side first, or join on a more selective key), then run again.";
  }
  if (/time limit|timed out|PIPELINE_RUN_TIMEOUT_MS/i.test(error)) {
    return "Filter or limit the rows earlier in the pipeline so it does less work, then run again.";
  }
  if (/quota|STORAGE_QUOTA_BYTES|MAX_DATASETS_PER_USER/i.test(error)) {
    return "Delete data sets you no longer need (outputs of older runs too), then run again.";
  }
  if (/no longer|was deleted|not found/i.test(error)) {
    return "Open the pipeline, choose the data set again, save, and run again.";
  }
  return "Open the pipeline to check the marked step, save, and run again.";
}
