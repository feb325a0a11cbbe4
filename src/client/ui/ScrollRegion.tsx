import type { ReactNode } from "react";

/**
 * A wide table scrolls sideways inside its own box, so the page never gets wider than the
 * window. The box is a labelled region that takes keyboard focus: a keyboard user can scroll
 * it with the arrow keys, and a screen reader says what it holds.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled by keyboard (WCAG 2.1.1).
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
