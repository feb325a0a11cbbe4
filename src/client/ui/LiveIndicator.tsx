import type { TRPCSubscriptionStatus } from "@trpc/tanstack-react-query";

const labels: Record<TRPCSubscriptionStatus, string> = {
  idle: "Live updates off",
  connecting: "Connecting…",
  pending: "Live",
  error: "Live updates interrupted, retrying…",
};

interface LiveIndicatorProps {
  status: TRPCSubscriptionStatus;
  /** Entries that arrived while the newest page was not shown. */
  missed: number;
  onShowNewest(): void;
}

/** Says whether new entries appear by themselves; the word carries the state, not only the dot's colour. */
export function LiveIndicator({ status, missed, onShowNewest }: LiveIndicatorProps) {
  const state = status === "pending" ? "open" : status === "error" ? "closed" : "connecting";
  return (
    <div className="live-indicator">
      <span aria-live="polite" className="socket-state" data-testid="live-indicator" data-state={state}>
        <span className={`dot dot-${state}`} aria-hidden="true" />
        {labels[status]}
      </span>
      {missed > 0 ? (
        <button type="button" onClick={onShowNewest} data-testid="show-newest">
          {missed} new {missed === 1 ? "entry" : "entries"}: show newest
        </button>
      ) : null}
    </div>
  );
}
