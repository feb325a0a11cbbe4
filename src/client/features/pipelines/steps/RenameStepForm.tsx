import { fieldHasError } from "../stepErrors";
import { ColumnSelect, TextInput } from "./controls";
import type { StepFormProps, StepOf } from "./stepFormProps";

export function RenameStepForm({ step, scope, errors, onChange }: StepFormProps<StepOf<"rename">>) {
  return (
    <div className="step-fields">
      <ColumnSelect
        label="Column"
        value={step.from}
        scope={scope}
        invalid={fieldHasError(errors, "from")}
        onChange={(from) => onChange({ ...step, from: from ?? "" })}
      />
      <TextInput
        label="New name"
        value={step.to}
        invalid={fieldHasError(errors, "to")}
        onChange={(to) => onChange({ ...step, to })}
      />
    </div>
  );
}
