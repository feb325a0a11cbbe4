import { useId, useRef, useState } from "react";
import { columnSuggestions, insertColumn, wordAtCursor } from "../expressionCompletion";

interface ExpressionInputProps {
  label: string;
  value: string;
  /** Column names the expression can use at this step. */
  columns: readonly string[];
  invalid?: boolean;
  onChange(value: string): void;
}

/**
 * An expression field that completes column names: while a name is being typed, the columns
 * it could be appear as buttons below (announced politely); pressing one puts it in, quoted
 * when needed, and returns the focus to the text where typing left off.
 */
export function ExpressionInput({ label, value, columns, invalid, onChange }: ExpressionInputProps) {
  const id = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const word = cursor === null ? null : wordAtCursor(value, cursor);
  const suggestions = columnSuggestions(columns, word);

  const choose = (column: string) => {
    if (!word) return;
    const next = insertColumn(value, word, column);
    onChange(next.text);
    setCursor(next.cursor);
    requestAnimationFrame(() => {
      field.current?.focus();
      field.current?.setSelectionRange(next.cursor, next.cursor);
    });
  };

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        ref={field}
        rows={2}
        className="code-input"
        value={value}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-columns`}
        onChange={(event) => {
          onChange(event.target.value);
          setCursor(event.target.selectionStart);
        }}
        onSelect={(event) => setCursor(event.currentTarget.selectionStart)}
      />
      <div id={`${id}-columns`} className="expression-columns" aria-live="polite" data-testid="column-suggestions">
        {suggestions.length > 0 ? (
          <>
            <span className="muted-line">Columns:</span>
            {suggestions.map((column) => (
              <button
                key={column}
                type="button"
                className="suggestion"
                aria-label={`Insert column ${column}`}
                onClick={() => choose(column)}
              >
                {column}
              </button>
            ))}
          </>
        ) : (
          <span className="field-hint">Type a column's first letters to pick it; see “Writing expressions” above.</span>
        )}
      </div>
    </div>
  );
}
