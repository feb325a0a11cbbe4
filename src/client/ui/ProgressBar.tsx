import { useId } from "react";

interface ProgressBarProps {
  /** Names the bar for assistive technology, e.g. "Upload progress". */
  label: string;
  /** 0–100; null while there is nothing to measure yet (the bar then moves without a value). */
  percent: number | null;
  /** What the bar shows, in words: read with it, and visible next to it. */
  text: string;
  /** A stage or status for tests and styles (`data-phase`). */
  phase: string;
  testId?: string;
}

/** A native progress bar (role progressbar, value announced) with its words beside it. */
export function ProgressBar({ label, percent, text, phase, testId }: ProgressBarProps) {
  const textId = useId();
  return (
    <div className="progress" data-phase={phase} data-testid={testId}>
      <progress
        max={100}
        value={percent ?? undefined}
        aria-label={label}
        aria-describedby={textId}
        data-testid={testId ? `${testId}-bar` : undefined}
      />
      <span
        id={textId}
        className="progress-text"
        aria-live="polite"
        data-testid={testId ? `${testId}-text` : undefined}
      >
        {percent !== null ? <span className="progress-percent">{Math.round(percent)} % · </span> : null}
        {text}
      </span>
    </div>
  );
}
