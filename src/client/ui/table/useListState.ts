import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import type { ListQuery } from "../../../shared/schemas/list";
import { type ListSpec, type ListState, readListState, toListQuery, writeListState } from "./listParams";

export interface ListStateControl<F extends string> {
  state: ListState<F>;
  /** What to send to the server's list procedure. */
  query: ListQuery<F>;
  /** `replace` for changes that should not each leave a history entry (typing in a filter). */
  update(next: ListState<F>, options?: { replace?: boolean }): void;
}

/**
 * A table's page, sort and filters, kept in the URL search params so that reload, back and
 * a shared link all show the same rows. `spec` must be stable (module scope).
 */
export function useListState<F extends string>(spec: ListSpec<F>): ListStateControl<F> {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readListState(params, spec), [params, spec]);
  const query = useMemo(() => toListQuery(state, spec), [state, spec]);
  const update = useCallback(
    (next: ListState<F>, options: { replace?: boolean } = {}) =>
      setParams((current) => writeListState(current, next, spec), { replace: options.replace ?? false }),
    [setParams, spec],
  );
  return { state, query, update };
}
