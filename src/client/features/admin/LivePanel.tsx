import type { SocketState } from "../../lib/socket/socketState";
import { useLiveSubscription, useWebSocket } from "../../lib/socket/useWebSocket";
import { formatClock } from "../../ui/format";

const socketLabels: Record<SocketState, string> = {
  open: "Connected",
  connecting: "Connecting…",
  closed: "Disconnected, reconnecting…",
};

/** The server's clock pushed over the WebSocket: if it ticks, the live channel works end to end. */
export function LivePanel() {
  const socket = useWebSocket();
  const ticks = useLiveSubscription((api) => api.system.onTick.subscriptionOptions());
  const now = ticks.data?.now;
  return (
    <section className="panel" aria-labelledby="live-heading" data-testid="live-panel">
      <h2 id="live-heading">Live</h2>
      {/* Announced when it changes: losing or regaining the connection matters to the user. */}
      <p aria-live="polite" className="socket-state" data-testid="ws-state" data-state={socket.state}>
        <span className={`dot dot-${socket.state}`} aria-hidden="true" />
        {socketLabels[socket.state]}
      </p>
      <p className="clock-line">
        Server time{" "}
        {/*
          role="timer" with aria-live="off": screen readers can read the clock on demand,
          but are not interrupted by an announcement every second.
        */}
        <time
          className="clock"
          role="timer"
          aria-live="off"
          aria-atomic="true"
          data-testid="live-clock"
          data-stale={socket.state !== "open"}
          dateTime={now?.toISOString()}
        >
          {now ? formatClock(now) : "—"}
        </time>
      </p>
    </section>
  );
}
