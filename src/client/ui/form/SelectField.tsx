import { type SelectHTMLAttributes, useId } from "react";

interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  name: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  /** The server's messages for this field (formErrors(...).byField[name]). */
  errors?: string[] | undefined;
  hint?: string;
}

/** TextField's sibling for a choice from a list: labelled, with hint and errors read out with it. */
export function SelectField({ label, options, errors, hint, id, ...select }: SelectFieldProps) {
  const generated = useId();
  const selectId = id ?? generated;
  const hintId = `${selectId}-hint`;
  const errorId = `${selectId}-errors`;
  const invalid = (errors?.length ?? 0) > 0;
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      <select id={selectId} aria-invalid={invalid || undefined} aria-describedby={describedBy || undefined} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <ul id={errorId} className="field-errors" data-testid={`${select.name}-errors`}>
          {errors?.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
