import { useEffect, useId, useRef } from "react";
import type { FieldErrors } from "../../../lib/api/apiError";
import { useDraftStore } from "../draftContext";
import type { DraftStep } from "../pipelineDraft";
import { describeStep, stepTypeLabel } from "../stepCatalog";
import type { ScopeColumn } from "../stepColumns";
import { stepErrorLines } from "../stepErrors";
import { StepForm } from "./StepForm";

interface StepCardProps {
  entry: DraftStep;
  index: number;
  count: number;
  scope: readonly ScopeColumn[];
  errors: FieldErrors | undefined;
  /** A step just added takes the focus, so keyboard users land in it. */
  focusOnMount: boolean;
  onRemoved(): void;
}

/**
 * One step: what it does in a line, its errors (the server's, placed on the step that caused
 * them), buttons to move or remove it, and its form. Moving keeps the focus on the button
 * pressed, so a keyboard user can press it again.
 */
export function StepCard({ entry, index, count, scope, errors, focusOnMount, onRemoved }: StepCardProps) {
  const store = useDraftStore();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const up = useRef<HTMLButtonElement>(null);
  const down = useRef<HTMLButtonElement>(null);
  const lines = stepErrorLines(errors);
  const position = index + 1;

  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
  }, [focusOnMount]);

  const move = (offset: -1 | 1) => {
    const target = index + offset;
    store.getState().moveStep(entry.key, offset);
    // At either end the pressed button turns disabled; the focus goes to the other one.
    const next = target === 0 ? down : target === count - 1 ? up : offset < 0 ? up : down;
    requestAnimationFrame(() => next.current?.focus());
  };

  return (
    <li
      className="step-card"
      aria-labelledby={headingId}
      data-testid="step"
      data-step-type={entry.step.type}
      data-invalid={lines.length > 0 || undefined}
    >
      <div className="step-head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          {position}. {stepTypeLabel(entry.step.type)}
        </h3>
        <code className="step-summary">{describeStep(entry.step)}</code>
        <div className="step-tools">
          <button
            ref={up}
            type="button"
            aria-label={`Move step ${position} up`}
            disabled={index === 0}
            onClick={() => move(-1)}
          >
            ↑
          </button>
          <button
            ref={down}
            type="button"
            aria-label={`Move step ${position} down`}
            disabled={index === count - 1}
            onClick={() => move(1)}
          >
            ↓
          </button>
          <button
            type="button"
            className="danger"
            aria-label={`Remove step ${position}`}
            onClick={() => {
              store.getState().removeStep(entry.key);
              onRemoved();
            }}
          >
            Remove
          </button>
        </div>
      </div>
      {lines.length > 0 ? (
        <ul role="alert" className="field-errors step-errors" data-testid="step-errors">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      <StepForm
        step={entry.step}
        scope={scope}
        errors={errors}
        onChange={(step) => store.getState().updateStep(entry.key, step)}
      />
    </li>
  );
}
