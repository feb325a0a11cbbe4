/** HTTP and WebSocket share one path on one port (see src/server/http/server.ts). */
export const TRPC_PATH = "/trpc";

/** Sent on every HTTP call; the server ignores the session cookie without it (CSRF defence). */
export const CLIENT_HEADER = "x-gantry-client";

/** ws:// next to http://, wss:// next to https://, so the socket works behind TLS too. */
export function trpcWebSocketUrl(location: Pick<Location, "protocol" | "host">): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${TRPC_PATH}`;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): try again at once, then back off
 * exponentially up to 10 s. Jitter (50-100 % of the step) keeps every open tab from
 * reconnecting in the same instant after a server restart.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  if (attempt === 0) return 0;
  const step = Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS);
  return Math.round(step * (0.5 + random() / 2));
}
