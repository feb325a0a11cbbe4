import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import type { FilterSpec } from "./listParams";

/** Long enough to finish a word, short enough to feel live. */
const TYPING_PAUSE_MS = 300;

interface TableFiltersProps<F extends string> {
  label: string;
  filters: ReadonlyArray<FilterSpec<F>>;
  values: Partial<Record<F, string>>;
  onChange(field: F, value: string, options: { replace: boolean }): void;
}

/** One labelled input per filter; a landmark so keyboard and screen-reader users find it. */
export function TableFilters<F extends string>({ label, filters, values, onChange }: TableFiltersProps<F>) {
  if (filters.length === 0) return null;
  return (
    <search className="table-filters" aria-label={label}>
      {filters.map((filter) =>
        filter.options ? (
          <SelectFilter
            key={filter.field}
            filter={filter}
            value={values[filter.field] ?? ""}
            onChange={(value) => onChange(filter.field, value, { replace: false })}
          />
        ) : (
          <TextFilter
            key={filter.field}
            filter={filter}
            value={values[filter.field] ?? ""}
            onCommit={(value) => onChange(filter.field, value, { replace: true })}
          />
        ),
      )}
    </search>
  );
}

function SelectFilter<F extends string>(props: {
  filter: FilterSpec<F>;
  value: string;
  onChange(value: string): void;
}) {
  const id = useId();
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{props.filter.label}</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">Any</option>
        {props.filter.options?.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Sends the text once typing pauses (or on Enter), not on every key: each change is a
 * server query. Follows the URL when it changes from elsewhere (back button, a link).
 */
function TextFilter<F extends string>(props: { filter: FilterSpec<F>; value: string; onCommit(value: string): void }) {
  const { value, onCommit } = props;
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  const committed = useRef(value);
  if (value !== shown) {
    setShown(value);
    // Our own commit coming back must not undo what was typed since.
    if (value !== committed.current) setDraft(value);
    committed.current = value;
  }

  useEffect(() => {
    if (draft.trim() === value) return;
    const timer = setTimeout(() => {
      committed.current = draft.trim();
      onCommit(draft);
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [draft, value, onCommit]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    committed.current = draft.trim();
    onCommit(draft);
  };

  return (
    <form className="field field-inline" onSubmit={submit}>
      <label htmlFor={id}>{props.filter.label}</label>
      <input id={id} type="search" value={draft} onChange={(event) => setDraft(event.target.value)} />
    </form>
  );
}
