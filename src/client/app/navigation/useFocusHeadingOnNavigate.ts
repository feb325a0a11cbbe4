import { useEffect, useRef } from "react";
import { useLocation } from "react-router";

/** Pages load lazily: look for the new page's heading for this long before giving up. */
const WAIT_FOR_HEADING_MS = 3_000;

/**
 * After a client-side navigation, moves keyboard focus to the new page's `h1`, so a screen
 * reader announces where the user now is and Tab starts from the top of the page (as a full
 * page load would). The first load is left alone, and so are changes of the query string
 * (a table's filters live there: typing in one must keep its focus).
 */
export function useFocusHeadingOnNavigate() {
  const { pathname } = useLocation();
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect runs on each new path on purpose.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const started = performance.now();
    let frame = requestAnimationFrame(function look() {
      const heading = document.querySelector<HTMLElement>("main h1");
      if (heading) {
        if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
        heading.focus();
        return;
      }
      if (performance.now() - started < WAIT_FOR_HEADING_MS) frame = requestAnimationFrame(look);
    });
    return () => cancelAnimationFrame(frame);
  }, [pathname]);
}
