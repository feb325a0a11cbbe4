import { fieldHasError } from "../stepErrors";
import { Choice, ColumnSelect } from "./controls";
import type { StepFormProps, StepOf } from "./stepFormProps";

type SortKey = StepOf<"sort">["by"][number];

const DIRECTIONS = [
  { value: "asc", label: "ascending" },
  { value: "desc", label: "descending" },
] as const;

/** The server takes at most ten keys. */
const MAX_KEYS = 10;

/** Sort keys in order of importance; ties keep their earlier order. */
export function SortStepForm({ step, scope, errors, onChange }: StepFormProps<StepOf<"sort">>) {
  const setKey = (index: number, key: SortKey) =>
    onChange({ ...step, by: step.by.map((current, i) => (i === index ? key : current)) });
  return (
    <div className="step-rows">
      {step.by.map((key, index) => (
        // Keys have no identity beyond their position; the list only grows at the end or loses an entry.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <fieldset className="step-fields" key={index}>
          <legend className="visually-hidden">Sort key {index + 1}</legend>
          <ColumnSelect
            label={index === 0 ? "Sort by" : "Then by"}
            value={key.column}
            scope={scope}
            invalid={fieldHasError(errors, `by.${index}`)}
            onChange={(column) => setKey(index, { ...key, column: column ?? "" })}
          />
          <Choice
            label="Direction"
            value={key.direction}
            options={DIRECTIONS}
            onChange={(direction) => setKey(index, { ...key, direction })}
          />
          {step.by.length > 1 ? (
            <button
              type="button"
              className="row-remove"
              aria-label={`Remove sort key ${index + 1}`}
              onClick={() => onChange({ ...step, by: step.by.filter((_, i) => i !== index) })}
            >
              Remove
            </button>
          ) : null}
        </fieldset>
      ))}
      {step.by.length < MAX_KEYS ? (
        <button type="button" onClick={() => onChange({ ...step, by: [...step.by, { column: "", direction: "asc" }] })}>
          Add a sort key
        </button>
      ) : null}
    </div>
  );
}
