import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { AppStore } from "../store";
import { StoreContext } from "../store/hooks";
import { SessionContext } from "./sessionContext";
import type { SessionController } from "./sessionController";
import { type ApiClients, TRPCProvider } from "./trpc";
import { WebSocketContext } from "./webSocketContext";

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
