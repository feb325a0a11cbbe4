import { skipToken } from "@tanstack/react-query";
import { useEffect } from "react";
import type { ImportProgress } from "../../../shared/schemas/pipelines";
import { useLiveSubscription } from "../../lib/socket/useWebSocket";

/** A feed that failed (socket dropped, server restart) tries again after this pause. */
const RESUBSCRIBE_AFTER_MS = 3_000;
/** Answers that will not change by asking again. */
const FINAL_ERRORS = new Set(["NOT_FOUND", "FORBIDDEN", "UNAUTHORIZED", "BAD_REQUEST"]);

/**
 * Follows an import (`pipelines.datasets.onImportProgress`) until it succeeds or fails; null
 * follows nothing. The first value is the import's current state, so a page opened late
 * still starts from the truth.
 */
export function useImportProgress(importId: string | null, onData: (progress: ImportProgress) => void) {
  const live = useLiveSubscription((api) =>
    api.pipelines.datasets.onImportProgress.subscriptionOptions(importId ? { importId } : skipToken, { onData }),
  );
  const { status, reset } = live;
  const code = live.error?.data?.code;
  useEffect(() => {
    if (status !== "error" || (code && FINAL_ERRORS.has(code))) return;
    const timer = setTimeout(reset, RESUBSCRIBE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [status, code, reset]);
  return live;
}
