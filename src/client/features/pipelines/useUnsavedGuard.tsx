import { useEffect } from "react";
import { useBlocker } from "react-router";
import { ConfirmDialog } from "../../ui/ConfirmDialog";

/**
 * Keeps unsaved edits from being lost by leaving the page: a link or Back inside the app asks
 * first (React Router's useBlocker, in the app's own dialog); closing the tab or reloading gets
 * the browser's own question (beforeunload, whose wording browsers fix). Render what it returns.
 */
export function useUnsavedGuard(unsaved: boolean) {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => unsaved && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers ask only when returnValue is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [unsaved]);

  if (blocker.state !== "blocked") return null;
  return (
    <ConfirmDialog
      title="Leave without saving?"
      body={<p>This pipeline has changes that are not saved. Leaving the page throws them away.</p>}
      confirmLabel="Leave without saving"
      cancelLabel="Stay and keep editing"
      danger
      onClose={(leave) => (leave ? blocker.proceed() : blocker.reset())}
    />
  );
}
