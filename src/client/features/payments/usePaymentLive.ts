import { useCallback, useEffect } from "react";
import type { PaymentDetail } from "../../../shared/schemas/payments";
import { useApi, useApiQuery } from "../../lib/api/useApi";
import { useLiveSubscription } from "../../lib/socket/useWebSocket";
import { keepNewer } from "./livePayment";
import { isSettling } from "./paymentStatus";

/** A feed that failed (socket dropped mid-stream, server restart) tries again after this pause. */
const RESUBSCRIBE_AFTER_MS = 3_000;
/** Without the live feed, a payment awaiting its provider is asked about this often instead. */
const POLL_WHILE_OFFLINE_MS = 3_000;
/** Answers that will not change by asking again. */
const FINAL_ERRORS = new Set(["NOT_FOUND", "FORBIDDEN", "UNAUTHORIZED", "BAD_REQUEST"]);

/**
 * One payment, kept current: `byId` for the first paint, `payments.onPayment` for every change
 * after (processing -> succeeded, refunds), written into the same cache entry so whatever
 * shows the payment follows along. Changes also mark the lists and the ledger stale.
 */
export function usePaymentLive(id: string) {
  const { api, queryClient } = useApi();

  const onData = useCallback(
    (detail: PaymentDetail) => {
      queryClient.setQueryData(api.payments.byId.queryKey({ id }), detail);
      void queryClient.invalidateQueries(api.payments.list.pathFilter());
      void queryClient.invalidateQueries(api.payments.ledger.pathFilter());
    },
    [queryClient, api, id],
  );
  const live = useLiveSubscription((api) => api.payments.onPayment.subscriptionOptions({ paymentId: id }, { onData }));
  const { status: liveStatus, reset: resubscribe } = live;
  const liveErrorCode = live.error?.data?.code;
  useEffect(() => {
    if (liveStatus !== "error" || (liveErrorCode && FINAL_ERRORS.has(liveErrorCode))) return;
    const timer = setTimeout(resubscribe, RESUBSCRIBE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [liveStatus, liveErrorCode, resubscribe]);

  const payment = useApiQuery((api) =>
    api.payments.byId.queryOptions(
      { id },
      {
        structuralSharing: keepNewer,
        refetchInterval: (query) =>
          query.state.data && isSettling(query.state.data.status) && liveStatus !== "pending"
            ? POLL_WHILE_OFFLINE_MS
            : false,
      },
    ),
  );
  return { payment, liveStatus };
}
