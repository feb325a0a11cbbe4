import { type InputHTMLAttributes, useId } from "react";

interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  /** The server's messages for this field (formErrors(...).byField[name]). */
  errors?: string[] | undefined;
  hint?: string;
}

/** A labelled input whose hint and errors are read out with it (aria-describedby). */
export function TextField({ label, errors, hint, id, ...input }: TextFieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-errors`;
  const invalid = (errors?.length ?? 0) > 0;
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} aria-invalid={invalid || undefined} aria-describedby={describedBy || undefined} {...input} />
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <ul id={errorId} className="field-errors" data-testid={`${input.name}-errors`}>
          {errors?.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
