import { newIdempotencyKey } from "../../lib/api/idempotentAttempt";
import { useApiMutation } from "../../lib/api/useApi";

/**
 * Starts a run of the saved pipeline. Each press is a new run, so each gets a fresh
 * idempotency key: a retry of the same request (a lost answer) reuses the key inside the
 * mutation, but a second press is meant as a second run.
 */
export function useRunPipeline(pipelineId: string | null) {
  const run = useApiMutation((api) => api.pipelines.run.mutationOptions(), {
    invalidates: (api) => [api.pipelines.runs.pathFilter()],
    idempotent: true,
  });
  const start = () => {
    if (!pipelineId || run.isPending) return;
    run.mutate({ pipelineId, idempotencyKey: newIdempotencyKey() });
  };
  return { start, run };
}
