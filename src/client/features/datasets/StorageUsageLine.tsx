import { useApiQuery } from "../../lib/api/useApi";
import { usageSummary, usageWarning } from "./storageUsage";

/**
 * What the user's own data sets take of their limits (STORAGE_QUOTA_BYTES and
 * MAX_DATASETS_PER_USER on the server), with a warning near or at one: there, uploads and runs
 * are refused, and this says so before the user tries.
 */
export function StorageUsageLine() {
  const usage = useApiQuery((api) => api.pipelines.datasets.usage.queryOptions());
  if (!usage.data) return null;
  const warning = usageWarning(usage.data);
  return (
    <div className="storage-usage" data-testid="storage-usage">
      <p className="muted-line">
        Your storage: <span data-testid="storage-usage-text">{usageSummary(usage.data)}</span>
      </p>
      {warning ? (
        <p className="notice" role={warning.level === "full" ? "alert" : undefined} data-testid="storage-warning">
          {warning.message}
        </p>
      ) : null}
    </div>
  );
}
