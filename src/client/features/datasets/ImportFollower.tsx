import { useCallback, useState } from "react";
import type { ImportProgress } from "../../../shared/schemas/pipelines";
import { useApi } from "../../lib/api/useApi";
import { ProgressBar } from "../../ui/ProgressBar";
import { importFailure, type UploadState, uploadPercent, uploadStatusText } from "./uploadState";
import { useImportProgress } from "./useImportProgress";

/**
 * A data set still importing, followed live; once the import ends, the data set is read
 * again so the page shows its rows (or why there are none).
 */
export function ImportFollower({ datasetId, importId }: { datasetId: string; importId: string }) {
  const { api, queryClient } = useApi();
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const onData = useCallback(
    (next: ImportProgress) => {
      setProgress(next);
      if (next.status === "succeeded" || next.status === "failed") {
        void queryClient.invalidateQueries(api.pipelines.datasets.byId.queryFilter({ id: datasetId }));
        void queryClient.invalidateQueries(api.pipelines.datasets.list.pathFilter());
        void queryClient.invalidateQueries(api.pipelines.datasets.usage.pathFilter());
      }
    },
    [queryClient, api, datasetId],
  );
  useImportProgress(importId, onData);

  if (progress?.status === "failed") {
    return (
      <div role="alert" className="error-message">
        <strong>The import failed</strong>
        <p>{importFailure(progress)}</p>
      </div>
    );
  }
  const state: UploadState = { phase: "importing", datasetId, importId, progress };
  return (
    <section className="panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Importing</h2>
      <ProgressBar
        label="Import progress"
        percent={uploadPercent(state)}
        text={uploadStatusText(state)}
        phase={progress?.phase ?? "queued"}
        testId="import-progress"
      />
    </section>
  );
}
