import type { WebSocketClient } from "../api/trpc";

type ConnectionState = ReturnType<WebSocketClient["connectionState"]["get"]>;

export type SocketState = "connecting" | "open" | "closed";

export interface SocketStatus {
  state: SocketState;
  /** Why the last connection failed or dropped; null while all is well. */
  error: string | null;
}

/**
 * tRPC says "pending" for an open socket, "idle" for a closed one, and "connecting" both
 * on the first attempt and while it retries after losing the connection. A user cares
 * whether the live channel works, so a retry after a failure reads as "closed".
 */
export function toSocketStatus(connection: ConnectionState): SocketStatus {
  switch (connection.state) {
    case "pending":
      return { state: "open", error: null };
    case "idle":
      return { state: "closed", error: null };
    case "connecting":
      return connection.error
        ? { state: "closed", error: connection.error.message }
        : { state: "connecting", error: null };
  }
}
