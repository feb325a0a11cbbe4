import { type ApiError, describeApiError } from "../lib/api/apiError";

interface ErrorMessageProps {
  error: ApiError;
  /** What failed, in the user's terms, e.g. "Could not load the server status". */
  title?: string;
}

/**
 * A failed call, said plainly. Forms show `describeApiError(error).fieldErrors` next to
 * their fields; this shows the summary.
 */
export function ErrorMessage({ error, title }: ErrorMessageProps) {
  const { message } = describeApiError(error);
  return (
    <div role="alert" className="error-message" data-testid="error-message">
      {title ? <strong>{title}</strong> : null}
      <p>{message}</p>
    </div>
  );
}
