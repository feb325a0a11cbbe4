import type { FormErrors } from "../../lib/api/formErrors";

interface FormAlertProps {
  errors: FormErrors;
  /** Seconds until another try can succeed (useRetryCountdown). */
  waitSeconds: number;
}

/** What went wrong with the whole form, announced as it appears. */
export function FormAlert({ errors, waitSeconds }: FormAlertProps) {
  if (!errors.summary) return null;
  return (
    <div role="alert" className="error-message" data-testid="form-error">
      <p>{errors.summary}</p>
      {errors.retryAfterMs !== null ? (
        <p data-testid="retry-after">
          {waitSeconds > 0 ? `You can try again in ${waitSeconds} s.` : "You can try again now."}
        </p>
      ) : null}
    </div>
  );
}
