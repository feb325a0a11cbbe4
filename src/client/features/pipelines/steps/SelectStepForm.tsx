import { fieldHasError } from "../stepErrors";
import { ColumnChecklist } from "./controls";
import type { StepFormProps, StepOf } from "./stepFormProps";

export function SelectStepForm({ step, scope, errors, onChange }: StepFormProps<StepOf<"select">>) {
  return (
    <ColumnChecklist
      legend="Columns to keep"
      value={step.columns}
      scope={scope}
      invalid={fieldHasError(errors, "columns")}
      onChange={(columns) => onChange({ ...step, columns })}
    />
  );
}
