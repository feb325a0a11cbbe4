import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { type ApiClients, TRPCProvider } from "../lib/api/trpc";
import { SessionContext } from "../lib/session/sessionContext";
import type { SessionController } from "../lib/session/sessionController";
import { WebSocketContext } from "../lib/socket/webSocketContext";
import type { AppStore } from "../lib/store";
import { StoreContext } from "../lib/store/hooks";

interface ProvidersProps {
  store: AppStore;
  queryClient: QueryClient;
  clients: ApiClients;
  session: SessionController;
  children: ReactNode;
}

/** Everything a page may reach for. Built from arguments, not module singletons, so tests can supply their own. */
export function Providers({ store, queryClient, clients, session, children }: ProvidersProps) {
  return (
    <StoreContext value={store}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={clients.trpcClient} queryClient={queryClient}>
          <WebSocketContext value={clients.wsClient}>
            <SessionContext value={session}>{children}</SessionContext>
          </WebSocketContext>
        </TRPCProvider>
      </QueryClientProvider>
    </StoreContext>
  );
}
