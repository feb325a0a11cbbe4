import { skipToken } from "@tanstack/react-query";
import { type FormEvent, useMemo } from "react";
import { isUuid } from "../../../shared/ids";
import { canWrite } from "../../../shared/ownership";
import type { PipelineView } from "../../../shared/schemas/pipelines";
import { useApiQuery } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { TextField } from "../../ui/form/TextField";
import { DatasetPicker } from "./DatasetPicker";
import { DraftContext, useDraft, useDraftStore } from "./draftContext";
import { PreviewPanel } from "./PreviewPanel";
import { type DraftStore, isDirty } from "./pipelineDraft";
import { RunLive } from "./RunLive";
import { StepList } from "./StepList";
import { builderErrors } from "./stepErrors";
import { usePreview } from "./usePreview";
import { useRunPipeline } from "./useRunPipeline";
import { useSavePipeline } from "./useSavePipeline";

interface PipelineBuilderProps {
  store: DraftStore;
  /** The saved pipeline; null while building a new one. */
  pipeline: PipelineView | null;
}

/** The builder: name, input data set and steps on the left, the live preview beside them. */
export function PipelineBuilder({ store, pipeline }: PipelineBuilderProps) {
  return (
    <DraftContext value={store}>
      <BuilderForm pipeline={pipeline} />
    </DraftContext>
  );
}

function BuilderForm({ pipeline }: { pipeline: PipelineView | null }) {
  const { user, can } = useAuth();
  const editable = pipeline ? canWrite(user, "pipelines:write", pipeline) : can("pipelines:write");
  const runnable = pipeline !== null && canWrite(user, "pipelines:run", pipeline);

  const store = useDraftStore();
  const name = useDraft((state) => state.name);
  const datasetId = useDraft((state) => state.datasetId);
  const dirty = useDraft(isDirty);
  const stepKeys = useDraft((state) => state.steps.map((entry) => entry.key).join(" "));

  const dataset = useApiQuery((api) =>
    api.pipelines.datasets.byId.queryOptions(isUuid(datasetId) ? { id: datasetId } : skipToken),
  );
  const input = useMemo(() => dataset.data?.columns ?? [], [dataset.data]);

  const preview = usePreview();
  const save = useSavePipeline(pipeline?.id ?? null);
  const { start: startRun, run } = useRunPipeline(pipeline?.id ?? null);

  // The freshest word on the steps: a failed save or run (about this very draft, as edits clear
  // them), else the preview of the draft as it was when typing paused.
  const previewErrors = builderErrors(preview.preview.error, preview.sentKeys);
  const runErrors = builderErrors(run.error, stepKeys ? stepKeys.split(" ") : []);
  const shown = save.failed ? save.errors : run.error ? runErrors : previewErrors;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (editable && !save.isPending) save.submit();
  };

  return (
    <div className="builder-layout">
      <form className="panel builder-panel" noValidate onSubmit={submit} aria-label="Pipeline" data-testid="builder">
        {!editable ? (
          <p className="notice" data-testid="read-only">
            You can look at this pipeline and preview its output; only its owner can change or run it.
          </p>
        ) : null}
        <fieldset disabled={!editable} className="plain-fieldset">
          <TextField
            label="Name"
            name="name"
            autoComplete="off"
            maxLength={200}
            value={name}
            onChange={(event) => store.getState().setName(event.target.value)}
            errors={shown.byField.name}
          />
          <DatasetPicker errors={shown.byField} />
          <StepList input={input} errorsByStep={shown.byStep} />
        </fieldset>
        {editable ? (
          <div className="builder-actions">
            {(save.failed || run.error) && shown.summary ? (
              <p role="alert" className="error-message" data-testid="builder-error">
                {shown.summary}
              </p>
            ) : null}
            <div className="form-actions">
              <button
                type="submit"
                className="primary"
                disabled={save.isPending || (pipeline !== null && !dirty)}
                data-testid="save-pipeline"
              >
                {save.isPending ? "Saving…" : pipeline ? "Save changes" : "Save pipeline"}
              </button>
              {runnable ? (
                <button type="button" onClick={startRun} disabled={dirty || run.isPending} data-testid="run-pipeline">
                  {run.isPending ? "Starting…" : "Run now"}
                </button>
              ) : null}
              <span role="status" className="muted-line" data-testid="save-state">
                {!dirty ? "All changes saved." : pipeline ? "Unsaved changes: save to run them." : "Not saved yet."}
              </span>
            </div>
            {run.data ? (
              <div className="latest-run">
                <h3>Run just started</h3>
                <RunLive run={run.data} testId="latest-run" />
              </div>
            ) : null}
          </div>
        ) : null}
      </form>
      <PreviewPanel state={preview} problem={previewErrors.placed ? null : previewErrors.summary} />
    </div>
  );
}
