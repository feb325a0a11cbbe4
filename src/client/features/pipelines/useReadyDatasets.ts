import { useMemo } from "react";
import type { DatasetColumn } from "../../../shared/schemas/pipelines";
import type { StepContext } from "../../../shared/steps";
import { useApiQuery } from "../../lib/api/useApi";

/** Enough for a picker; more data sets than this are better found by name on the data sets page. */
const PICKER_SIZE = 100;

/**
 * The caller's data sets that finished importing: what a pipeline can read (its input, the data
 * sets it joins). One query, cached, shared by the pickers and the builder's column typing.
 */
export function useReadyDatasets() {
  const query = useApiQuery((api) =>
    api.pipelines.datasets.list.queryOptions({
      page: 1,
      pageSize: PICKER_SIZE,
      sort: { field: "name", direction: "asc" },
      filter: [{ field: "status", op: "eq", value: "ready" }],
    }),
  );
  const items = query.data?.items;
  const context = useMemo<StepContext>(() => {
    const byId = new Map<string, readonly DatasetColumn[]>((items ?? []).map((d) => [d.id, d.columns]));
    return { datasetColumns: (id) => byId.get(id) };
  }, [items]);
  return { items: items ?? [], isPending: query.isPending, context };
}
