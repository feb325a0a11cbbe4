import { useCallback, useEffect } from "react";
import type { PaymentDetail } from "../../../shared/schemas/payments";
import type { ImportProgress, RunProgress } from "../../../shared/schemas/pipelines";
import { useLiveSubscription } from "../../lib/socket/useWebSocket";
import { useActivity, type Watched } from "./activityStore";
import { importToast, paymentToast, runToast } from "./messages";

/** A feed that failed (socket dropped, server restart) tries again after this pause. */
const RESUBSCRIBE_AFTER_MS = 3_000;
/** Answers that asking again will not change: stop following, without a toast. */
const FINAL_ERRORS = new Set(["NOT_FOUND", "FORBIDDEN", "UNAUTHORIZED", "BAD_REQUEST"]);

/**
 * Follows each piece of background work this browser started, through the live
 * subscription that already exists for it (one per item), and toasts when it ends. Mounted
 * once in the layout, so the toast comes whichever page the user is on by then.
 */
export function ActivityWatchers() {
  const watched = useActivity((state) => state.watched);
  return (
    <>
      {watched.map((item) => (
        <Watcher key={`${item.kind}:${item.id}`} item={item} />
      ))}
    </>
  );
}

function Watcher({ item }: { item: Watched }) {
  switch (item.kind) {
    case "payment":
      return <PaymentWatcher item={item} />;
    case "import":
      return <ImportWatcher item={item} />;
    case "run":
      return <RunWatcher item={item} />;
  }
}

function PaymentWatcher({ item }: { item: Extract<Watched, { kind: "payment" }> }) {
  const finish = useActivity((state) => state.finish);
  const onData = useCallback(
    (payment: PaymentDetail) => {
      const toast = paymentToast(payment, item.label);
      if (toast) finish(item, toast);
    },
    [item, finish],
  );
  const live = useLiveSubscription((api) =>
    api.payments.onPayment.subscriptionOptions({ paymentId: item.id }, { onData }),
  );
  useRetryOrGiveUp(live, item);
  return null;
}

function ImportWatcher({ item }: { item: Extract<Watched, { kind: "import" }> }) {
  const finish = useActivity((state) => state.finish);
  const onData = useCallback(
    (progress: ImportProgress) => {
      const toast = importToast(progress, item.label);
      if (toast) finish(item, toast);
    },
    [item, finish],
  );
  const live = useLiveSubscription((api) =>
    api.pipelines.datasets.onImportProgress.subscriptionOptions({ importId: item.id }, { onData }),
  );
  useRetryOrGiveUp(live, item);
  return null;
}

function RunWatcher({ item }: { item: Extract<Watched, { kind: "run" }> }) {
  const finish = useActivity((state) => state.finish);
  const onData = useCallback(
    (progress: RunProgress) => {
      const toast = runToast(progress, item.label);
      if (toast) finish(item, toast);
    },
    [item, finish],
  );
  const live = useLiveSubscription((api) =>
    api.pipelines.onRunProgress.subscriptionOptions({ runId: item.id }, { onData }),
  );
  useRetryOrGiveUp(live, item);
  return null;
}

interface LiveState {
  status: string;
  error: { data?: { code?: string } | null } | null;
  reset: () => void;
}

/** A dropped feed is asked again; a final refusal (gone, not allowed) ends the watch quietly. */
function useRetryOrGiveUp(live: LiveState, item: Watched) {
  const finish = useActivity((state) => state.finish);
  const { status, reset } = live;
  const code = live.error?.data?.code;
  useEffect(() => {
    if (status !== "error") return;
    if (code && FINAL_ERRORS.has(code)) {
      finish(item, null);
      return;
    }
    const timer = setTimeout(reset, RESUBSCRIBE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [status, code, reset, finish, item]);
}
