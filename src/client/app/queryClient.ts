import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isWorthRetrying } from "./apiError";
import { isUnauthorized } from "./sessionController";

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
        retry: (failureCount, error) => failureCount < 2 && isWorthRetrying(error),
      },
      // A repeated mutation could charge twice; retries belong to the caller (with an idempotency key).
      mutations: { retry: false },
    },
  });
}
