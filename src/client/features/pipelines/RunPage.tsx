import { skipToken } from "@tanstack/react-query";
import { useEffect } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { isUuid } from "../../../shared/ids";
import { canWrite } from "../../../shared/ownership";
import type { RunView } from "../../../shared/schemas/pipelines";
import { useApiQuery } from "../../lib/api/useApi";
import { formatInteger } from "../../lib/localeNumbers";
import { useAuth } from "../../lib/session/useAuth";
import { CopyId } from "../../ui/CopyId";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { formatDateTime } from "../../ui/format";
import { ChartPanel, datasetPath } from "../datasets";
import { pipelinePath } from "./pipelineLinks";
import { RunLive } from "./RunLive";
import { runDuration, runErrorAdvice } from "./runFacts";
import { runPath } from "./runLinks";
import { isActive } from "./runStatus";
import { useRunPipeline } from "./useRunPipeline";

/** While a run is active its page is read again this often, under the live feed. */
const ACTIVE_REFRESH_MS = 5_000;

/** `/pipelines/runs/:id`: one run — what ran, how long, how many rows, why it failed — and its output. */
export function RunPage() {
  const { id } = useParams();
  return isUuid(id) ? <RunDetail key={id} runId={id} /> : <RunNotFound />;
}

function RunDetail({ runId }: { runId: string }) {
  const run = useApiQuery((api) =>
    api.pipelines.runById.queryOptions(
      { runId },
      {
        refetchInterval: (query) => (query.state.data && isActive(query.state.data.status) ? ACTIVE_REFRESH_MS : false),
      },
    ),
  );
  if (run.error?.data?.code === "NOT_FOUND") return <RunNotFound />;
  const view = run.data;
  const title = view ? `Run of ${view.pipelineName ?? "a deleted pipeline"}` : "Run";
  return (
    <>
      <title>{`${title} · Gantry`}</title>
      <p className="back-link">
        {view ? <Link to={pipelinePath(view.pipelineId)}>← {view.pipelineName ?? "Pipeline"}</Link> : null}{" "}
        <Link to="/runs">All runs</Link>
      </p>
      <h1 data-testid="run-title">{title}</h1>
      {run.error ? <ErrorMessage error={run.error} title="Could not load the run" /> : null}
      {run.isPending ? <p aria-busy="true">Loading…</p> : null}
      {view ? <RunFacts run={view} /> : null}
      {view?.status === "succeeded" && view.outputDatasetId ? <RunOutput datasetId={view.outputDatasetId} /> : null}
    </>
  );
}

function RunFacts({ run }: { run: RunView }) {
  const { user } = useAuth();
  const navigate = useNavigate();
  const { start, run: rerun } = useRunPipeline(run.pipelineId);
  const duration = runDuration(run, new Date());
  const started = rerun.data?.id;
  // The new run has its own page: go there to follow it.
  useEffect(() => {
    if (started) navigate(runPath(started));
  }, [started, navigate]);
  const mayRun = canWrite(user, "pipelines:run", run);
  return (
    <section className="panel" aria-label="Run" data-testid="run-facts">
      <RunLive run={run} testId="run-page-live" />
      <dl className="facts">
        <dt>Started</dt>
        <dd>{formatDateTime(run.createdAt)}</dd>
        <dt>Trigger</dt>
        <dd>{run.trigger === "schedule" ? "Schedule" : "Manual"}</dd>
        <dt>Duration</dt>
        <dd data-testid="run-duration">{duration ?? "not started yet"}</dd>
        <dt>Rows read</dt>
        <dd className="num" data-testid="run-rows-in">
          {run.rowsTotal === null ? "—" : formatInteger(run.rowsTotal)}
        </dd>
        <dt>Rows written</dt>
        <dd className="num" data-testid="run-rows-out">
          {run.outputRows === null ? "—" : formatInteger(run.outputRows)}
        </dd>
        {run.attempts > 1 ? (
          <>
            <dt>Attempts</dt>
            <dd>{run.attempts}</dd>
          </>
        ) : null}
        <dt>Run id</dt>
        <dd>
          <code>{run.id}</code> <CopyId id={run.id} what="this run" />
        </dd>
      </dl>
      <p className="muted-line">
        A run is one database statement, so rows are counted at its input and its output, not per step.
      </p>
      {run.status === "failed" && run.error ? (
        <div role="alert" className="error-message" data-testid="run-error">
          <p>
            <strong>The run failed.</strong> {run.error}
          </p>
          <p>{runErrorAdvice(run.error)}</p>
        </div>
      ) : null}
      {mayRun ? (
        <div className="form-actions">
          <button type="button" className="primary" disabled={rerun.isPending} data-testid="rerun" onClick={start}>
            {rerun.isPending ? "Starting…" : "Run again"}
          </button>
          {rerun.error ? (
            <span role="alert" className="inline-error">
              {rerun.error.message}
            </span>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function RunOutput({ datasetId }: { datasetId: string }) {
  const dataset = useApiQuery((api) =>
    api.pipelines.datasets.byId.queryOptions(isUuid(datasetId) ? { id: datasetId } : skipToken),
  );
  if (!dataset.data) return null;
  return (
    <div className="page-stack">
      <p>
        Output: <Link to={datasetPath(dataset.data.id)}>{dataset.data.name}</Link>
        {dataset.data.rowCount === null ? null : ` · ${formatInteger(dataset.data.rowCount)} rows`}
      </p>
      <ChartPanel dataset={dataset.data} />
    </div>
  );
}

function RunNotFound() {
  return (
    <>
      <title>Run not found · Gantry</title>
      <h1>Run not found</h1>
      <p data-testid="run-not-found">
        There is no run at this address that you can see. <Link to="/runs">Back to the runs</Link>
      </p>
    </>
  );
}
