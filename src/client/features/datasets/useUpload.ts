import { useCallback, useEffect, useReducer, useRef } from "react";
import type { ImportProgress } from "../../../shared/schemas/pipelines";
import { useApi } from "../../lib/api/useApi";
import { sendUpload, type UploadChoice, uploadRequestFor } from "./uploadRequest";
import { IDLE, type UploadState, uploadReducer } from "./uploadState";
import { useImportProgress } from "./useImportProgress";

export interface Upload {
  state: UploadState;
  start(file: File, choice: UploadChoice): void;
  /** Stops the bytes going up; an import the server has started runs on. */
  cancel(): void;
  reset(): void;
}

/**
 * One upload at a time: XMLHttpRequest for the bytes (it reports them as they go), then the
 * import's live progress over the WebSocket until the server says imported or failed.
 */
export function useUpload(): Upload {
  const [state, dispatch] = useReducer(uploadReducer, IDLE);
  const sending = useRef<AbortController | null>(null);
  const { api, queryClient } = useApi();

  const onProgress = useCallback((progress: ImportProgress) => dispatch({ type: "progress", progress }), []);
  useImportProgress(state.phase === "importing" ? state.importId : null, onProgress);

  // The list shows the new data set as importing at once, and its outcome when it has one.
  const { phase } = state;
  useEffect(() => {
    if (phase === "importing" || phase === "done" || phase === "failed") {
      void queryClient.invalidateQueries(api.pipelines.datasets.pathFilter());
    }
  }, [phase, queryClient, api]);

  useEffect(() => () => sending.current?.abort(), []);

  const start = useCallback((file: File, choice: UploadChoice) => {
    sending.current?.abort();
    const controller = new AbortController();
    sending.current = controller;
    dispatch({ type: "start", bytesTotal: file.size });
    sendUpload(
      file,
      uploadRequestFor(file, choice),
      (bytesSent, bytesTotal) => dispatch({ type: "sent", bytesSent, bytesTotal }),
      controller.signal,
    ).then(
      (accepted) => dispatch({ type: "accepted", accepted }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        dispatch({ type: "rejected", message: error instanceof Error ? error.message : "The upload failed." });
      },
    );
  }, []);

  const cancel = useCallback(() => {
    sending.current?.abort();
    dispatch({ type: "reset" });
  }, []);

  const reset = useCallback(() => dispatch({ type: "reset" }), []);

  return { state, start, cancel, reset };
}
