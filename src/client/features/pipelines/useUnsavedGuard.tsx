import { useEffect } from "react";
import { useBlocker } from "react-router";
import { ConfirmDialog } from "../../ui/ConfirmDialog";

/**
 * Keeps unsaved edits from being lost by leaving the page: a link or Back inside the app asks
 * first (React Router's useBlocker, in the app's own dialog); closing the tab or reloading gets
 * the browser's own question (beforeunload, whose wording browsers fix). Render what it returns.
 * `unsaved` drives the beforeunload listener; `stillUnsaved` reads the draft as it is now.
 */
export function useUnsavedGuard(unsaved: boolean, stillUnsaved: () => boolean) {
  // Asked at the moment of leaving, not from the last render: a save that navigates right after
  // it succeeded (a new pipeline opening its page) must not be stopped by the state before it.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => currentLocation.pathname !== nextLocation.pathname && stillUnsaved(),
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
