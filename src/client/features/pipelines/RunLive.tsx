import { skipToken } from "@tanstack/react-query";
import { useCallback, useEffect } from "react";
import { Link } from "react-router";
import { canWrite } from "../../../shared/ownership";
import type { RunProgress, RunView } from "../../../shared/schemas/pipelines";
import { useApi } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { useLiveSubscription } from "../../lib/socket/useWebSocket";
import { ProgressBar } from "../../ui/ProgressBar";
import { datasetPath } from "../datasets";
import { CancelRunButton } from "./CancelRunButton";
import { RunStatusBadge } from "./RunStatusBadge";
import { isActive, latestProgress, runProgressText } from "./runStatus";

/** A feed that failed (socket dropped, server restart) tries again after this pause. */
const RESUBSCRIBE_AFTER_MS = 3_000;
const FINAL_ERRORS = new Set(["NOT_FOUND", "FORBIDDEN", "UNAUTHORIZED", "BAD_REQUEST"]);

/**
 * A run as it happens: an active run follows `pipelines.onRunProgress` (status, rows,
 * percent) with a bar; once it ends, the list is read again and the result is a link to the
 * output data set. Cancel is offered while it is queued or running, to those who may.
 */
export function RunLive({ run, testId = "run-live" }: { run: RunView; testId?: string }) {
  const { user } = useAuth();
  const { api, queryClient } = useApi();
  const active = isActive(run.status);

  const onData = useCallback(
    (progress: RunProgress) => {
      if (isActive(progress.status)) return;
      void queryClient.invalidateQueries(api.pipelines.runs.pathFilter());
      void queryClient.invalidateQueries(api.pipelines.runById.queryFilter({ runId: progress.runId }));
      // A succeeded run added a data set.
      void queryClient.invalidateQueries(api.pipelines.datasets.list.pathFilter());
    },
    [queryClient, api],
  );
  const live = useLiveSubscription((api) =>
    api.pipelines.onRunProgress.subscriptionOptions(active ? { runId: run.id } : skipToken, { onData }),
  );
  const { status: liveStatus, reset: resubscribe } = live;
  const code = live.error?.data?.code;
  useEffect(() => {
    if (liveStatus !== "error" || (code && FINAL_ERRORS.has(code))) return;
    const timer = setTimeout(resubscribe, RESUBSCRIBE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [liveStatus, code, resubscribe]);

  const progress = latestProgress(run, live.data);
  const running = isActive(progress.status);
  return (
    <div className="run-live" data-testid={testId} data-status={progress.status}>
      <RunStatusBadge status={progress.status} />
      {running ? (
        <ProgressBar
          label="Run progress"
          // A queued run has nothing to measure yet: the bar moves without a value.
          percent={progress.status === "queued" ? null : progress.percent}
          text={runProgressText(progress)}
          phase={progress.status}
          testId="run-progress"
        />
      ) : (
        <span className="muted-line" data-testid="run-summary">
          {runProgressText(progress)}
        </span>
      )}
      {progress.status === "succeeded" && progress.outputDatasetId ? (
        <Link to={datasetPath(progress.outputDatasetId)} data-testid="run-result">
          Open the result
        </Link>
      ) : null}
      {running && canWrite(user, "pipelines:run", run) ? <CancelRunButton runId={run.id} /> : null}
    </div>
  );
}
