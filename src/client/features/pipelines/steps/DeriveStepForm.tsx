import { fieldHasError } from "../stepErrors";
import { TextInput } from "./controls";
import { ExpressionInput } from "./ExpressionInput";
import type { StepFormProps, StepOf } from "./stepFormProps";

export function DeriveStepForm({ step, scope, errors, onChange }: StepFormProps<StepOf<"derive">>) {
  return (
    <div className="step-fields step-fields-wide">
      <TextInput
        label="New column"
        value={step.name}
        invalid={fieldHasError(errors, "name")}
        onChange={(name) => onChange({ ...step, name })}
      />
      <ExpressionInput
        label="Expression"
        value={step.expression}
        columns={scope.map((column) => column.name)}
        invalid={fieldHasError(errors, "expression")}
        onChange={(expression) => onChange({ ...step, expression })}
      />
    </div>
  );
}
