import {
  type QueryClient,
  type QueryFilters,
  type QueryKey,
  type UseMutationOptions,
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { retryDelayMs, shouldRetryIdempotentMutation } from "./retry";
import { type Api, useTRPC } from "./trpc";

/** The typed options proxy and the cache, for anything the helpers below do not cover. */
export function useApi(): { api: Api; queryClient: QueryClient } {
  return { api: useTRPC(), queryClient: useQueryClient() };
}

/**
 * A cached, typed query: `useApiQuery((api) => api.system.health.queryOptions())`.
 * Input, output and error types all come from the server's router.
 */
export function useApiQuery<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  pick: (api: Api) => UseQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): UseQueryResult<TData, TError> {
  return useQuery(pick(useTRPC()));
}

export interface ApiMutationExtras {
  /** Queries whose data the mutation changes: refetched once it succeeds, e.g. `(api) => [api.users.pathFilter()]`. */
  invalidates?: (api: Api) => QueryFilters[];
  /**
   * The mutation carries an idempotency key, so it may be sent again: it retries a 503
   * SERVICE_UNAVAILABLE with backoff, as queries do.
   */
  idempotent?: boolean;
}

/**
 * A typed mutation that refreshes what it changed:
 * `useApiMutation((api) => api.users.update.mutationOptions(), { invalidates: (api) => [api.users.pathFilter()] })`.
 */
export function useApiMutation<TData, TError, TVariables, TOnMutateResult>(
  pick: (api: Api) => UseMutationOptions<TData, TError, TVariables, TOnMutateResult>,
  extras: ApiMutationExtras = {},
): UseMutationResult<TData, TError, TVariables, TOnMutateResult> {
  const { api, queryClient } = useApi();
  const options = pick(api);
  const { invalidates, idempotent } = extras;
  return useMutation({
    ...options,
    ...(idempotent ? { retry: shouldRetryIdempotentMutation, retryDelay: retryDelayMs } : {}),
    onSuccess: async (...args) => {
      await options.onSuccess?.(...args);
      if (invalidates) await Promise.all(invalidates(api).map((filter) => queryClient.invalidateQueries(filter)));
    },
  });
}
