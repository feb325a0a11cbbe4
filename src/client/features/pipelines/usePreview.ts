import { keepPreviousData, skipToken } from "@tanstack/react-query";
import { useMemo } from "react";
import { isUuid } from "../../../shared/ids";
import { useApiQuery } from "../../lib/api/useApi";
import { useDebouncedValue } from "../../lib/hooks/useDebouncedValue";
import { useDraft } from "./draftContext";
import { draftSteps } from "./pipelineDraft";

/** Long enough to finish typing a value, short enough to feel live. */
const PREVIEW_PAUSE_MS = 400;
/** The first rows are enough to see the shape of the output. */
export const PREVIEW_ROWS = 20;

/**
 * The draft's output, from `pipelines.preview` (the same single statement as a run, with a
 * LIMIT), once edits pause. `sentKeys` are the keys of the steps the shown answer is about, so
 * its errors land on those steps even if the draft moved on since.
 */
export function usePreview() {
  const datasetId = useDraft((state) => state.datasetId);
  const steps = useDraft((state) => state.steps);
  const draft = useMemo(() => ({ datasetId, steps }), [datasetId, steps]);
  const settled = useDebouncedValue(draft, PREVIEW_PAUSE_MS);
  const input = useMemo(
    () =>
      isUuid(settled.datasetId)
        ? { datasetId: settled.datasetId, steps: draftSteps(settled), limit: PREVIEW_ROWS }
        : null,
    [settled],
  );
  const preview = useApiQuery((api) =>
    api.pipelines.preview.queryOptions(input ?? skipToken, {
      placeholderData: keepPreviousData,
      // A bad step is an answer, not a failure to retry.
      retry: false,
      staleTime: 30_000,
    }),
  );
  const sentKeys = useMemo(() => settled.steps.map((entry) => entry.key), [settled]);
  return { preview, sentKeys, waiting: settled !== draft, enabled: input !== null };
}
