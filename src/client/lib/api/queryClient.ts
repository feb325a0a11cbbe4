import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isUnauthorized } from "../session/sessionController";
import { retryDelayMs, shouldRetryQuery } from "./retry";

export interface QueryClientOptions {
  /** Called when any query or mutation is answered UNAUTHORIZED: the session may have ended. */
  onUnauthorized?: () => void;
}

export function createQueryClient(options: QueryClientOptions = {}): QueryClient {
  const noticeUnauthorized = (error: unknown) => {
    if (isUnauthorized(error)) options.onUnauthorized?.();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: noticeUnauthorized }),
    mutationCache: new MutationCache({ onError: noticeUnauthorized }),
    defaultOptions: {
      queries: {
        // The live channel and explicit invalidation keep data fresh; avoid refetch storms.
        staleTime: 5_000,
        // A 503 (database briefly unreachable) is waited out with backoff; see ./retry.
        retry: shouldRetryQuery,
        retryDelay: retryDelayMs,
      },
      // A repeated mutation could charge twice: only those with an idempotency key retry, and
      // they say so (useApiMutation's `idempotent`).
      mutations: { retry: false },
    },
  });
}
