import { skipToken } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";
import { isUuid, shortId } from "../../../shared/ids";
import type { DatasetColumn, DatasetView } from "../../../shared/schemas/pipelines";
import { useApiQuery } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { formatDateTime } from "../../ui/format";
import { newPipelinePath, pipelinePath } from "../pipelines";
import { DatasetRowsTable } from "./DatasetRowsTable";
import { DatasetStatusBadge } from "./DatasetStatusBadge";
import { DeleteDatasetButton } from "./DeleteDatasetButton";
import { ExportButton } from "./ExportButton";
import { ImportFollower } from "./ImportFollower";

export function DatasetPage() {
  const { id } = useParams();
  // Keyed by id: another data set is another table state and another feed.
  return isUuid(id) ? <DatasetDetail key={id} id={id} /> : <DatasetNotFound />;
}

function DatasetDetail({ id }: { id: string }) {
  const navigate = useNavigate();
  const dataset = useApiQuery((api) => api.pipelines.datasets.byId.queryOptions({ id }));
  if (dataset.error?.data?.code === "NOT_FOUND") return <DatasetNotFound />;
  const view = dataset.data;

  return (
    <>
      <title>{view ? `${view.name} · Data sets · Gantry` : "Data set · Gantry"}</title>
      <p className="back-link">
        <Link to="/datasets">← Data sets</Link>
      </p>
      <h1 data-testid="dataset-name">{view?.name ?? "Data set"}</h1>
      {dataset.error ? <ErrorMessage error={dataset.error} title="Could not load the data set" /> : null}
      {view ? (
        <div className="page-stack">
          <div className="panels">
            <DatasetFacts dataset={view} />
            <section className="panel" aria-labelledby="columns-heading">
              <h2 id="columns-heading">Columns</h2>
              <ColumnList columns={view.columns} />
            </section>
          </div>
          <DatasetActions dataset={view} onDeleted={() => navigate("/datasets")} />
          {view.status === "importing" && view.importId ? (
            <ImportFollower datasetId={view.id} importId={view.importId} />
          ) : null}
          {view.status === "failed" ? (
            <div role="alert" className="error-message" data-testid="dataset-error">
              <strong>The import failed</strong>
              <p>{view.error ?? "No reason was given."}</p>
            </div>
          ) : null}
          {view.status === "ready" ? (
            <section aria-labelledby="rows-heading">
              <h2 id="rows-heading">Rows</h2>
              <DatasetRowsTable dataset={view} />
            </section>
          ) : null}
        </div>
      ) : dataset.isPending ? (
        <p aria-busy="true">Loading…</p>
      ) : null}
    </>
  );
}

function DatasetFacts({ dataset }: { dataset: DatasetView }) {
  return (
    <section className="panel" aria-labelledby="facts-heading">
      <h2 id="facts-heading">About</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <DatasetStatusBadge status={dataset.status} />
        </dd>
        <dt>Rows</dt>
        <dd data-testid="dataset-row-count">{dataset.rowCount === null ? "—" : dataset.rowCount.toLocaleString()}</dd>
        <dt>Source</dt>
        <dd>{dataset.sourceRunId ? <SourceRun runId={dataset.sourceRunId} /> : "Upload"}</dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={dataset.createdAt.toISOString()}>{formatDateTime(dataset.createdAt)}</time>
        </dd>
      </dl>
    </section>
  );
}

/** A pipeline's output says where it came from: the run, and the pipeline to open. */
function SourceRun({ runId }: { runId: string }) {
  const run = useApiQuery((api) => api.pipelines.runById.queryOptions(isUuid(runId) ? { runId } : skipToken));
  if (!run.data) return <>Output of run {shortId(runId)}</>;
  return (
    <>
      Output of a run of{" "}
      <Link to={pipelinePath(run.data.pipelineId)} data-testid="source-pipeline-link">
        its pipeline
      </Link>
      {run.data.finishedAt ? ` (${formatDateTime(run.data.finishedAt)})` : null}
    </>
  );
}

function DatasetActions({ dataset, onDeleted }: { dataset: DatasetView; onDeleted(): void }) {
  const { can } = useAuth();
  const ready = dataset.status === "ready";
  return (
    <div className="form-actions" data-testid="dataset-actions">
      {ready ? <ExportButton datasetId={dataset.id} name={dataset.name} /> : null}
      {ready && can("pipelines:write") ? (
        <Link className="button-link" to={newPipelinePath(dataset.id)}>
          New pipeline from this data set
        </Link>
      ) : null}
      <DeleteDatasetButton dataset={dataset} onDeleted={onDeleted} />
    </div>
  );
}

function ColumnList({ columns }: { columns: DatasetColumn[] }) {
  if (columns.length === 0) return <p className="muted-line">No columns yet.</p>;
  return (
    <ul className="column-list" data-testid="dataset-columns">
      {columns.map((column) => (
        <li key={column.name}>
          <span>{column.name}</span> <span className="column-type">{column.type}</span>
        </li>
      ))}
    </ul>
  );
}

function DatasetNotFound() {
  return (
    <>
      <title>Data set not found · Gantry</title>
      <h1>Data set not found</h1>
      <p data-testid="dataset-not-found">
        There is no data set at this address that you can see. <Link to="/datasets">Back to the data sets</Link>
      </p>
    </>
  );
}
