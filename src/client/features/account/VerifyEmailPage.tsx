import { useMutation } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef } from "react";
import { Link, useLocation } from "react-router";
import { describeApiError } from "../../lib/api/apiError";
import { useApi } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { verificationTokenFrom } from "./verificationText";

/** `/verify-email?token=…`, the mailed link: verifies on arrival, once, signed in or not. */
export function VerifyEmailPage() {
  const { search } = useLocation();
  const token = verificationTokenFrom(search);
  const { status } = useAuth();
  const { api, queryClient } = useApi();
  const verify = useMutation(
    api.account.verifyEmail.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(api.account.verification.queryFilter()),
    }),
  );
  const sent = useRef(false);
  useEffect(() => {
    // Strict mode mounts twice; the link works once, so it is sent once.
    if (!token || sent.current) return;
    sent.current = true;
    verify.mutate({ token });
  }, [token, verify]);

  let body: ReactNode;
  if (!token) {
    body = (
      <p role="alert" className="error-message">
        This page needs the link from the verification email.
      </p>
    );
  } else if (verify.isSuccess) {
    body = (
      <p role="status" className="notice" data-testid="email-verified">
        Your email address is verified. Thank you!{" "}
        {status === "signedIn" ? <Link to="/profile">Back to your profile</Link> : <Link to="/login">Sign in</Link>}
      </p>
    );
  } else if (verify.error) {
    body = (
      <div role="alert" className="error-message" data-testid="verify-failed">
        <p>{describeApiError(verify.error).message}</p>
      </div>
    );
  } else {
    body = <p role="status">Verifying…</p>;
  }

  return (
    <div className="auth-page">
      <title>Verify your email · Gantry</title>
      <h1>Verify your email</h1>
      {body}
    </div>
  );
}
