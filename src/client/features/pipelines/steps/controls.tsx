import { type ReactNode, useId } from "react";
import { columnLabel, type ScopeColumn } from "../stepColumns";

/**
 * The small labelled controls the step forms are made of. Errors are listed on the step's
 * card (with their position in the step); a control at fault is marked aria-invalid.
 */

interface ChoiceProps<T extends string> {
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange(value: T): void;
  invalid?: boolean;
}

export function Choice<T extends string>({ label, value, options, onChange, invalid }: ChoiceProps<T>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={invalid || undefined}
        onChange={(event) => {
          const chosen = options.find((option) => option.value === event.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

interface ColumnSelectProps {
  label: string;
  value: string | undefined;
  scope: readonly ScopeColumn[];
  onChange(value: string | undefined): void;
  invalid?: boolean;
  /** The label of a "no column" choice (e.g. "all rows" for a count); none offered when absent. */
  noneLabel?: string;
}

/** A column the step can use; a chosen column that no longer exists stays visible (and marked) until changed. */
export function ColumnSelect({ label, value, scope, onChange, invalid, noneLabel }: ColumnSelectProps) {
  const id = useId();
  const missing = value !== undefined && value !== "" && !scope.some((column) => column.name === value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ""}
        aria-invalid={invalid || missing || undefined}
        onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value)}
      >
        {noneLabel !== undefined ? <option value="">{noneLabel}</option> : null}
        {noneLabel === undefined && !value ? (
          <option value="" disabled>
            Choose a column
          </option>
        ) : null}
        {missing ? <option value={value}>{value} (not available here)</option> : null}
        {scope.map((column) => (
          <option key={column.name} value={column.name}>
            {columnLabel(column)}
          </option>
        ))}
      </select>
    </div>
  );
}

interface ColumnChecklistProps {
  legend: string;
  value: readonly string[];
  scope: readonly ScopeColumn[];
  onChange(value: string[]): void;
  invalid?: boolean;
  hint?: string;
}

/** Several columns, as checkboxes in the order the step sees them; a chosen column gone missing can be unticked. */
export function ColumnChecklist({ legend, value, scope, onChange, invalid, hint }: ColumnChecklistProps) {
  const hintId = useId();
  const missing = value.filter((name) => !scope.some((column) => column.name === name));
  const toggle = (name: string, on: boolean) => {
    const chosen = new Set(value);
    if (on) chosen.add(name);
    else chosen.delete(name);
    onChange([...scope.map((column) => column.name), ...missing].filter((candidate) => chosen.has(candidate)));
  };
  return (
    <fieldset className="checklist" aria-invalid={invalid || undefined} aria-describedby={hint ? hintId : undefined}>
      <legend>{legend}</legend>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {scope.map((column) => (
        <label key={column.name} className="checkbox">
          <input
            type="checkbox"
            checked={value.includes(column.name)}
            onChange={(event) => toggle(column.name, event.target.checked)}
          />
          {columnLabel(column)}
        </label>
      ))}
      {missing.map((name) => (
        <label key={name} className="checkbox missing">
          <input type="checkbox" checked onChange={() => toggle(name, false)} />
          {name} (not available here)
        </label>
      ))}
    </fieldset>
  );
}

interface TextInputProps {
  label: string;
  value: string;
  onChange(value: string): void;
  invalid?: boolean;
  hint?: ReactNode;
  multiline?: boolean;
  inputMode?: "numeric" | "text";
}

export function TextInput({ label, value, onChange, invalid, hint, multiline, inputMode }: TextInputProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const shared = {
    id,
    value,
    "aria-invalid": invalid || undefined,
    "aria-describedby": hint ? hintId : undefined,
    autoComplete: "off",
    spellCheck: false,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...shared} rows={2} className="code-input" onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...shared} inputMode={inputMode} onChange={(event) => onChange(event.target.value)} />
      )}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
