import { useState } from "react";
import { canWrite } from "../../../shared/ownership";
import type { DatasetView } from "../../../shared/schemas/pipelines";
import { describeApiError } from "../../lib/api/apiError";
import { useApiMutation } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";

interface DeleteDatasetButtonProps {
  dataset: Pick<DatasetView, "id" | "name" | "ownerId" | "status">;
  onDeleted?(): void;
}

/**
 * Delete, then confirm in place (no modal dialog to trap focus). Shown only to those who may
 * delete it; the server refuses while it imports or a pipeline reads it, and says why.
 */
export function DeleteDatasetButton({ dataset, onDeleted }: DeleteDatasetButtonProps) {
  const { user } = useAuth();
  const [confirming, setConfirming] = useState(false);
  const remove = useApiMutation((api) => api.pipelines.datasets.delete.mutationOptions(), {
    invalidates: (api) => [api.pipelines.datasets.list.pathFilter(), api.pipelines.datasets.usage.pathFilter()],
  });
  if (!canWrite(user, "datasets:write", dataset)) return null;
  if (dataset.status === "importing") return null;

  const error = remove.error ? describeApiError(remove.error).message : null;
  return (
    <span className="inline-actions">
      {confirming ? (
        <>
          <button
            type="button"
            className="danger"
            disabled={remove.isPending}
            onClick={() =>
              remove.mutate(
                { id: dataset.id },
                { onSuccess: () => onDeleted?.(), onSettled: () => setConfirming(false) },
              )
            }
            data-testid="confirm-delete-dataset"
          >
            {remove.isPending ? "Deleting…" : `Delete “${dataset.name}”`}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </>
      ) : (
        <button
          type="button"
          className="danger"
          aria-label={`Delete ${dataset.name}`}
          onClick={() => {
            remove.reset();
            setConfirming(true);
          }}
          data-testid="delete-dataset"
        >
          Delete
        </button>
      )}
      {error ? (
        <span role="alert" className="inline-error">
          {error}
        </span>
      ) : null}
    </span>
  );
}
