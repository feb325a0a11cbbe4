import { useMemo, useRef, useState } from "react";
import type { DatasetColumn, StepType } from "../../../shared/schemas/pipelines";
import type { FieldErrors } from "../../lib/api/apiError";
import { useDraft, useDraftStore } from "./draftContext";
import { draftSteps } from "./pipelineDraft";
import { isStepType, newStep, stepTypeOptions } from "./stepCatalog";
import { columnsAtEachStep } from "./stepColumns";
import { StepCard } from "./steps/StepCard";
import { useReadyDatasets } from "./useReadyDatasets";

interface StepListProps {
  /** The data set's columns: what the first step sees. */
  input: readonly DatasetColumn[];
  errorsByStep: Record<string, FieldErrors>;
}

/** The server takes at most 50 steps. */
const MAX_STEPS = 50;

/** The draft's steps in order, each with the columns it can use, and a way to add one. */
export function StepList({ input, errorsByStep }: StepListProps) {
  const store = useDraftStore();
  const steps = useDraft((state) => state.steps);
  const { context } = useReadyDatasets();
  const scopes = useMemo(() => columnsAtEachStep(input, draftSteps({ steps }), context), [input, steps, context]);
  const [added, setAdded] = useState<string | null>(null);
  const [type, setType] = useState<StepType>("filter");
  const addSelect = useRef<HTMLSelectElement>(null);

  const add = () => {
    const columns = (scopes[steps.length] ?? []).map((column) => column.name);
    setAdded(store.getState().addStep(newStep(type, columns)));
  };

  return (
    <section aria-labelledby="steps-heading" className="steps">
      <h2 id="steps-heading">Steps</h2>
      {steps.length === 0 ? (
        <p className="muted-line">No steps yet: the output is the data set as it is. Add a step below.</p>
      ) : (
        <ol className="step-list">
          {steps.map((entry, index) => (
            <StepCard
              key={entry.key}
              entry={entry}
              index={index}
              count={steps.length}
              scope={scopes[index] ?? []}
              errors={errorsByStep[entry.key]}
              focusOnMount={entry.key === added}
              onRemoved={() => addSelect.current?.focus()}
            />
          ))}
        </ol>
      )}
      <div className="add-step field-inline">
        <label htmlFor="add-step-type">Add a step</label>
        <select
          id="add-step-type"
          ref={addSelect}
          value={type}
          onChange={(event) => {
            if (isStepType(event.target.value)) setType(event.target.value);
          }}
        >
          {stepTypeOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <button type="button" onClick={add} disabled={steps.length >= MAX_STEPS} data-testid="add-step">
          Add step
        </button>
      </div>
    </section>
  );
}
