import { type TRPCSubscriptionResult, useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useContext, useMemo, useSyncExternalStore } from "react";
import { type Api, useTRPC } from "../api/trpc";
import { type SocketStatus, toSocketStatus } from "./socketState";
import { WebSocketContext } from "./webSocketContext";

/** The live channel's state, re-rendering whenever it connects, drops or reconnects. */
export function useWebSocket(): SocketStatus {
  const client = useContext(WebSocketContext);
  if (!client) throw new Error("useWebSocket needs <Providers> (src/client/app/Providers.tsx) above it.");
  const { connectionState } = client;
  // Stable, so React subscribes once per client rather than on every render.
  const subscribe = useCallback(
    (onChange: () => void) => {
      const subscription = connectionState.subscribe({ next: onChange });
      return () => subscription.unsubscribe();
    },
    [connectionState],
  );
  const connection = useSyncExternalStore(subscribe, connectionState.get);
  return useMemo(() => toSocketStatus(connection), [connection]);
}

type SubscriptionOptions<TOutput, TError> = Parameters<typeof useSubscription<TOutput, TError>>[0];

/**
 * Subscribes to a tRPC subscription over the WebSocket for as long as the component is
 * mounted: `useLiveSubscription((api) => api.system.onTick.subscriptionOptions())`. After a
 * reconnect the client resubscribes by itself; `data` holds the latest value.
 */
export function useLiveSubscription<TOutput, TError>(
  pick: (api: Api) => SubscriptionOptions<TOutput, TError>,
): TRPCSubscriptionResult<TOutput, TError> {
  return useSubscription(pick(useTRPC()));
}
