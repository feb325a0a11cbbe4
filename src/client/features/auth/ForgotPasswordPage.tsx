import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { formErrors } from "../../lib/api/formErrors";
import { useTRPC } from "../../lib/api/trpc";
import { useRetryCountdown } from "../../lib/hooks/useRetryCountdown";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";

/** Asks for a reset link. The answer is the same whether or not the email has an account. */
export function ForgotPasswordPage() {
  const api = useTRPC();
  const mutation = useMutation(api.auth.requestPasswordReset.mutationOptions());
  const errors = formErrors(mutation.error, ["email"]);
  const waitSeconds = useRetryCountdown(errors.retryAfterMs, mutation.error);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate({ email: textOf(event.currentTarget, "email") });
  };

  return (
    <div className="auth-page">
      <title>Forgot password · Gantry</title>
      <h1>Reset your password</h1>
      {mutation.isSuccess ? (
        <p role="status" className="notice" data-testid="reset-requested">
          If an account exists for {mutation.variables.email}, we have sent it a link to choose a new password. The link
          works for 30 minutes.
        </p>
      ) : (
        <form className="form" noValidate onSubmit={submit} aria-label="Request a reset link">
          <p>Enter the email of your account and we will send you a link to choose a new password.</p>
          <FormAlert errors={errors} waitSeconds={waitSeconds} />
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            errors={errors.byField.email}
          />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={mutation.isPending || waitSeconds > 0}>
              {mutation.isPending ? "Sending…" : "Send reset link"}
            </button>
          </div>
        </form>
      )}
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </div>
  );
}
