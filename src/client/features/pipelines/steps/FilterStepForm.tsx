import { operatorOptions, operatorsFor, takesValue } from "../stepCatalog";
import { fieldHasError } from "../stepErrors";
import { Choice, ColumnSelect, TextInput } from "./controls";
import type { StepFormProps, StepOf } from "./stepFormProps";

const BOOLEAN_VALUES = [
  { value: "true", label: "true" },
  { value: "false", label: "false" },
] as const;

/** Keeps the rows where a column compares with a value; the value is typed as text and read as the column's type. */
export function FilterStepForm({ step, scope, errors, onChange }: StepFormProps<StepOf<"filter">>) {
  const typeOf = (name: string) => scope.find((column) => column.name === name)?.type ?? "unknown";
  const operators = operatorsFor(typeOf(step.column));
  // A loaded step may hold a condition its column no longer offers: show it, so the select tells the truth.
  const current = operatorOptions.find((option) => option.value === step.operator);
  const options =
    operators.some((option) => option.value === step.operator) || !current ? operators : [...operators, current];
  const value = step.value === null || step.value === undefined ? "" : String(step.value);
  const valueInvalid = fieldHasError(errors, "value");

  return (
    <div className="step-fields">
      <ColumnSelect
        label="Column"
        value={step.column}
        scope={scope}
        invalid={fieldHasError(errors, "column")}
        onChange={(column = "") => {
          const fits = operatorsFor(typeOf(column)).some((option) => option.value === step.operator);
          onChange({ ...step, column, operator: fits ? step.operator : "eq" });
        }}
      />
      <Choice
        label="Condition"
        value={step.operator}
        options={options}
        invalid={fieldHasError(errors, "operator")}
        // A condition without a value (is empty) drops the value; the others keep what was typed.
        onChange={(operator) =>
          onChange(
            takesValue(operator) ? { ...step, operator, value } : { type: "filter", column: step.column, operator },
          )
        }
      />
      {!takesValue(step.operator) ? null : typeOf(step.column) === "boolean" ? (
        <Choice
          label="Value"
          value={value === "false" ? "false" : "true"}
          options={BOOLEAN_VALUES}
          invalid={valueInvalid}
          onChange={(chosen) => onChange({ ...step, value: chosen })}
        />
      ) : (
        <TextInput
          label="Value"
          value={value}
          invalid={valueInvalid}
          onChange={(typed) => onChange({ ...step, value: typed })}
        />
      )}
    </div>
  );
}
