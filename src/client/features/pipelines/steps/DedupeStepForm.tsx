import { fieldHasError } from "../stepErrors";
import { ColumnChecklist } from "./controls";
import type { StepFormProps, StepOf } from "./stepFormProps";

export function DedupeStepForm({ step, scope, errors, onChange }: StepFormProps<StepOf<"dedupe">>) {
  return (
    <ColumnChecklist
      legend="Rows are duplicates when these match"
      hint="None ticked: all columns. The first of each set of duplicates is kept."
      value={step.columns ?? []}
      scope={scope}
      invalid={fieldHasError(errors, "columns")}
      // No column means every column, which the server takes as an absent list.
      onChange={(columns) => onChange(columns.length > 0 ? { ...step, columns } : { type: "dedupe" })}
    />
  );
}
