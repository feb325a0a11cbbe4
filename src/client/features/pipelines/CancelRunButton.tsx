import { describeApiError } from "../../lib/api/apiError";
import { useApiMutation } from "../../lib/api/useApi";

/** Stops a queued or running run; no output is kept. The server says if it finished first. */
export function CancelRunButton({ runId }: { runId: string }) {
  const cancel = useApiMutation((api) => api.pipelines.cancelRun.mutationOptions(), {
    invalidates: (api) => [api.pipelines.runs.pathFilter()],
  });
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={cancel.isPending || cancel.isSuccess}
        onClick={() => cancel.mutate({ runId })}
        data-testid="cancel-run"
      >
        {cancel.isPending ? "Canceling…" : cancel.isSuccess ? "Cancel requested" : "Cancel"}
      </button>
      {cancel.error ? (
        <span role="alert" className="inline-error">
          {describeApiError(cancel.error).message}
        </span>
      ) : null}
    </>
  );
}
