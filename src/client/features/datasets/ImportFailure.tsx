import { Link } from "react-router";
import { importAdvice, SKIP_SUGGESTION } from "./importAdvice";

/**
 * A failed import in the product's voice: what went wrong (the server's message, with its
 * line), what to do about it, and "Skip invalid rows" where that would get the rest in.
 */
export function ImportFailure({ message, title = "The import failed" }: { message: string; title?: string }) {
  const { advice, suggestSkip } = importAdvice(message);
  return (
    <div role="alert" className="error-message" data-testid="import-failure">
      <strong>{title}</strong>
      <p data-testid="import-failure-reason">{message}</p>
      <p data-testid="import-failure-advice">{advice}</p>
      {suggestSkip ? (
        <p data-testid="import-skip-suggestion">
          {SKIP_SUGGESTION} <Link to="/datasets">Upload again</Link>
        </p>
      ) : null}
    </div>
  );
}
