import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link } from "react-router";
import type { AuthResult } from "../../../shared/schemas/auth";
import type { ApiError } from "../../lib/api/apiError";
import { formErrors } from "../../lib/api/formErrors";
import { useRetryCountdown } from "../../lib/hooks/useRetryCountdown";
import type { LoginInput } from "../../lib/session/sessionApi";
import { useAuth } from "../../lib/session/useAuth";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";

const FIELDS = ["email", "password"] as const;

/**
 * Email and password. A failed sign-in shows the server's one message for every failure
 * ("Incorrect email or password."), so the form never tells whether an account exists.
 * After too many failures the button waits as long as the server says.
 */
export function LoginForm() {
  const { login } = useAuth();
  const mutation = useMutation<AuthResult, ApiError, LoginInput>({ mutationFn: login });
  const errors = formErrors(mutation.error, FIELDS);
  const waitSeconds = useRetryCountdown(errors.retryAfterMs, mutation.error);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    mutation.mutate({ email: textOf(form, "email"), password: textOf(form, "password") });
  };

  return (
    <form className="form" noValidate onSubmit={submit} aria-label="Sign in" data-testid="login-form">
      <FormAlert errors={errors} waitSeconds={waitSeconds} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        errors={errors.byField.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        errors={errors.byField.password}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={mutation.isPending || waitSeconds > 0}>
          {mutation.isPending ? "Signing in…" : "Sign in"}
        </button>
        <Link to="/forgot-password">Forgot your password?</Link>
      </div>
    </form>
  );
}
