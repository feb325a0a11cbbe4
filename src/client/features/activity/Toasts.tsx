import { useEffect } from "react";
import { Link } from "react-router";
import { type Toast, useActivity } from "./activityStore";

/** Long enough to read a sentence twice; the close button is there for sooner. */
const TOAST_MS = 12_000;

/**
 * Toasts for finished background work. The region is always in the page (a live region must
 * exist before its content changes for screen readers to announce it) and polite: it never
 * interrupts what the user is doing.
 */
export function Toasts() {
  const toasts = useActivity((state) => state.toasts);
  return (
    <section className="toasts" aria-label="Notifications">
      <div role="status" aria-live="polite" aria-atomic="false" data-testid="toasts">
        {toasts.map((toast) => (
          <ToastCard key={toast.id} toast={toast} />
        ))}
      </div>
    </section>
  );
}

function ToastCard({ toast }: { toast: Toast }) {
  const dismiss = useActivity((state) => state.dismiss);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast.id, dismiss]);
  return (
    <div className={`toast toast-${toast.tone}`} data-testid="toast" data-tone={toast.tone}>
      <p>{toast.message}</p>
      <div className="toast-actions">
        {toast.link ? <Link to={toast.link.to}>{toast.link.label}</Link> : null}
        <button
          type="button"
          className="toast-close"
          onClick={() => dismiss(toast.id)}
          aria-label="Dismiss notification"
        >
          ×
        </button>
      </div>
    </div>
  );
}
