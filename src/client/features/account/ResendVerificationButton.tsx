import { describeApiError } from "../../lib/api/apiError";
import { useApiMutation } from "../../lib/api/useApi";

/** At most 3 links an hour (as password resets); past that the server says how long to wait. */
export function ResendVerificationButton() {
  const resend = useApiMutation((api) => api.account.resendVerification.mutationOptions());
  return (
    <span className="resend-verification">
      <button type="button" onClick={() => resend.mutate()} disabled={resend.isPending}>
        {resend.isPending ? "Sending…" : "Resend verification email"}
      </button>
      {resend.isSuccess ? (
        <span role="status" className="saved" data-testid="verification-resent">
          {resend.data.sent ? "Sent. Check your inbox." : "Your email address is already verified."}
        </span>
      ) : null}
      {resend.error ? (
        <span role="alert" className="inline-error">
          {describeApiError(resend.error).message}
        </span>
      ) : null}
    </span>
  );
}
