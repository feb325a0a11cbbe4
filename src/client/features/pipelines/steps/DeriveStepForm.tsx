import { fieldHasError } from "../stepErrors";
import { TextInput } from "./controls";
import type { StepFormProps, StepOf } from "./stepFormProps";

/** The server's expression language (parsed, never evaluated as code); the hint lists what it knows. */
const EXPRESSION_HINT = (
  <>
    Columns by name (<code>"unit price"</code> for names with spaces), numbers, <code>'text'</code>,{" "}
    <code>+ - * / %</code>, <code>||</code> to join text, comparisons, <code>and or not</code>. Functions: upper, lower,
    trim, length, substr, replace, concat, text, round, abs, floor, ceil, coalesce, if, is_null, year, month, day.
    Example: <code>round(amount * 1.2, 2)</code>
  </>
);

export function DeriveStepForm({ step, errors, onChange }: StepFormProps<StepOf<"derive">>) {
  return (
    <div className="step-fields step-fields-wide">
      <TextInput
        label="New column"
        value={step.name}
        invalid={fieldHasError(errors, "name")}
        onChange={(name) => onChange({ ...step, name })}
      />
      <TextInput
        label="Expression"
        value={step.expression}
        multiline
        hint={EXPRESSION_HINT}
        invalid={fieldHasError(errors, "expression")}
        onChange={(expression) => onChange({ ...step, expression })}
      />
    </div>
  );
}
