import { useMutation } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link, useLocation } from "react-router";
import { PASSWORD_MIN } from "../../../shared/constants";
import { formErrors } from "../../lib/api/formErrors";
import { useTRPC } from "../../lib/api/trpc";
import { useRetryCountdown } from "../../lib/hooks/useRetryCountdown";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";
import { tokenFromHash } from "./resetToken";

export function ResetPasswordPage() {
  const { hash } = useLocation();
  const token = tokenFromHash(hash);
  const api = useTRPC();
  const mutation = useMutation(api.auth.resetPassword.mutationOptions());
  const [mismatch, setMismatch] = useState(false);
  const errors = formErrors(mutation.error, ["newPassword"]);
  const waitSeconds = useRetryCountdown(errors.retryAfterMs, mutation.error);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const newPassword = textOf(form, "newPassword");
    // Only the browser sees both copies; checking here saves a round trip for a typo.
    const same = newPassword === textOf(form, "confirmPassword");
    setMismatch(!same);
    if (same && token) mutation.mutate({ token, newPassword });
  };

  let body: ReactNode;
  if (!token) {
    body = (
      <p role="alert" className="error-message">
        This page needs the link from the reset email. <Link to="/forgot-password">Ask for a new link</Link>.
      </p>
    );
  } else if (mutation.isSuccess) {
    body = (
      <p role="status" className="notice" data-testid="reset-done">
        Your password has been changed and every session signed out. <Link to="/login">Sign in</Link> with the new
        password.
      </p>
    );
  } else {
    body = (
      <form className="form" noValidate onSubmit={submit} aria-label="Choose a new password">
        <FormAlert errors={errors} waitSeconds={waitSeconds} />
        {errors.summary && !errors.byField.newPassword ? (
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        ) : null}
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${PASSWORD_MIN} characters; avoid common passwords.`}
          errors={errors.byField.newPassword}
        />
        <TextField
          label="Repeat the new password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          errors={mismatch ? ["The two passwords are not the same"] : undefined}
        />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={mutation.isPending || waitSeconds > 0}>
            {mutation.isPending ? "Saving…" : "Set new password"}
          </button>
        </div>
      </form>
    );
  }

  return (
    <div className="auth-page">
      <title>Choose a new password · Gantry</title>
      <h1>Choose a new password</h1>
      {body}
    </div>
  );
}
