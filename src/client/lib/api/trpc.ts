import { createTRPCClient, createWSClient, httpBatchLink, splitLink, type TRPCClient, wsLink } from "@trpc/client";
import { createTRPCContext, type TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import superjson from "superjson";
import type { AppRouter } from "../../../server/trpc/router.js";
import { BATCH_LIMITS } from "../../../shared/batch-limits";
import { CLIENT_HEADER, reconnectDelayMs, TRPC_PATH, trpcWebSocketUrl } from "./endpoints";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** The typed options proxy: `trpc.system.health.queryOptions()` and friends. */
export type Api = TRPCOptionsProxy<AppRouter>;
export type WebSocketClient = ReturnType<typeof createWSClient>;

export interface ApiClients {
  trpcClient: TRPCClient<AppRouter>;
  /** Exposed so the UI can show the live connection's state (see hooks/useWebSocket). */
  wsClient: WebSocketClient;
}

/**
 * Queries and mutations go over batched HTTP (cacheable, work without a socket);
 * subscriptions go over one shared WebSocket that reconnects by itself and resubscribes
 * what was open. Both ends use superjson, as the server does, so Dates stay Dates.
 */
export function createApiClients(location: Pick<Location, "protocol" | "host">): ApiClients {
  const wsClient = createWSClient({
    url: trpcWebSocketUrl(location),
    retryDelayMs: (attempt) => reconnectDelayMs(attempt),
    // The server pings every 30 s; our own pings notice a dead link (sleep, network switch) sooner.
    keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 5_000 },
  });

  const trpcClient = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink<AppRouter>({ client: wsClient, transformer: superjson }),
        false: httpBatchLink<AppRouter>({
          url: TRPC_PATH,
          transformer: superjson,
          ...BATCH_LIMITS,
          // The server honours the session cookie only on requests carrying this header: a
          // cross-site form cannot set it, so it stops request forgery (src/server/http/credentials.ts).
          headers: { [CLIENT_HEADER]: "web" },
          // Session cookies must ride along, also if the API moves to another origin.
          fetch: (input, init) => fetch(input, { ...init, credentials: "include" }),
        }),
      }),
    ],
  });

  return { trpcClient, wsClient };
}
