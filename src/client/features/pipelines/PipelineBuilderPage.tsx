import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { isUuid } from "../../../shared/ids";
import { canWrite } from "../../../shared/ownership";
import type { PipelineView } from "../../../shared/schemas/pipelines";
import { useApiQuery } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { PipelineBuilder } from "./PipelineBuilder";
import { createDraftStore, type DraftStore } from "./pipelineDraft";
import { RunsTable } from "./RunsTable";
import { SchedulePanel } from "./SchedulePanel";

/** `/pipelines/new`, optionally `?dataset=…` to start from a data set. */
export function NewPipelinePage() {
  const [params] = useSearchParams();
  const [store] = useState(() => {
    const dataset = params.get("dataset");
    return createDraftStore({ datasetId: isUuid(dataset) ? dataset : "" });
  });
  return (
    <>
      <title>New pipeline · Gantry</title>
      <BackLink />
      <h1>New pipeline</h1>
      <PipelineBuilder store={store} pipeline={null} />
    </>
  );
}

/** `/pipelines/:id`: the builder on the saved pipeline, its schedule and its runs. */
export function PipelinePage() {
  const { id } = useParams();
  // Keyed by id: another pipeline is another draft, not this one's leftovers.
  return isUuid(id) ? <SavedPipeline key={id} id={id} /> : <PipelineNotFound />;
}

function SavedPipeline({ id }: { id: string }) {
  const { user } = useAuth();
  const pipeline = useApiQuery((api) => api.pipelines.byId.queryOptions({ id }));
  // The draft starts from the pipeline as first loaded; later answers (a save, a schedule)
  // update the page around it without overwriting what is being edited.
  const [store, setStore] = useState<DraftStore | null>(null);
  if (!store && pipeline.data) setStore(loadedStore(pipeline.data));

  if (pipeline.error?.data?.code === "NOT_FOUND") return <PipelineNotFound />;
  const view = pipeline.data;
  const editable = view ? canWrite(user, "pipelines:write", view) : false;
  return (
    <>
      <title>{view ? `${view.name} · Pipelines · Gantry` : "Pipeline · Gantry"}</title>
      <BackLink />
      <h1 data-testid="pipeline-name">{view?.name ?? "Pipeline"}</h1>
      {pipeline.error ? <ErrorMessage error={pipeline.error} title="Could not load the pipeline" /> : null}
      {view && store ? (
        <div className="page-stack">
          <PipelineBuilder store={store} pipeline={view} />
          <SchedulePanel pipeline={view} editable={editable} />
          <section aria-labelledby="runs-heading">
            <h2 id="runs-heading">Runs</h2>
            <RunsTable pipelineId={view.id} />
          </section>
        </div>
      ) : pipeline.isPending ? (
        <p aria-busy="true">Loading…</p>
      ) : null}
    </>
  );
}

function loadedStore(pipeline: PipelineView): DraftStore {
  const store = createDraftStore();
  store.getState().load(pipeline, true);
  return store;
}

function BackLink() {
  return (
    <p className="back-link">
      <Link to="/pipelines">← Pipelines</Link>
    </p>
  );
}

function PipelineNotFound() {
  return (
    <>
      <title>Pipeline not found · Gantry</title>
      <h1>Pipeline not found</h1>
      <p data-testid="pipeline-not-found">
        There is no pipeline at this address that you can see. <Link to="/pipelines">Back to the pipelines</Link>
      </p>
    </>
  );
}
