import { useApiQuery } from "../../lib/api/useApi";

/** Which providers exist changes only with a deploy. */
const PROVIDERS_STALE_MS = 10 * 60_000;

/** The enabled providers, their currencies and test cards, and the per-payment limit. */
export function useProviders() {
  return useApiQuery((api) => api.payments.providers.queryOptions(undefined, { staleTime: PROVIDERS_STALE_MS }));
}
