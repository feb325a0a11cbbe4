import type { WebSocketClient } from "../api/trpc";

/** Long enough for a healthy reconnect, short enough that a sign-in never hangs on a dead socket. */
const RECONNECT_WAIT_MS = 5_000;

/**
 * The server reads the session cookie once, when the WebSocket opens, and keeps that
 * identity for the connection's life. After sign-in, sign-out or a password change the
 * socket must therefore be reopened. Closing the raw socket (rather than `client.close()`,
 * which would end every subscription) makes the client reconnect and resend the
 * subscriptions that are still open, now with the new cookie. Resolves once the socket is
 * open again, or after a timeout: the client keeps retrying on its own.
 */
export function reconnectSocket(client: WebSocketClient, waitMs = RECONNECT_WAIT_MS): Promise<void> {
  const connection = client.connection;
  // No socket yet, or one already closing: the next one opens with the current cookie.
  if (!connection || connection.state === "closed") return Promise.resolve();
  return new Promise((resolve) => {
    let dropped = false;
    let subscription: { unsubscribe(): void } | undefined;
    const finish = () => {
      clearTimeout(timer);
      subscription?.unsubscribe();
      resolve();
    };
    const timer = setTimeout(finish, waitMs);
    subscription = client.connectionState.subscribe({
      next: (state) => {
        if (state.state !== "pending") dropped = true;
        else if (dropped) finish();
      },
    });
    connection.ws.close();
  });
}
