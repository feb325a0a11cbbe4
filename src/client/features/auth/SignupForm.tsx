import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { PASSWORD_MIN } from "../../../shared/constants";
import type { AuthResult } from "../../../shared/schemas/auth";
import type { ApiError } from "../../lib/api/apiError";
import { formErrors } from "../../lib/api/formErrors";
import { useRetryCountdown } from "../../lib/hooks/useRetryCountdown";
import type { SignupInput } from "../../lib/session/sessionApi";
import { useAuth } from "../../lib/session/useAuth";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";

const FIELDS = ["name", "email", "password"] as const;

/** Creates an account and signs it in; the server's password policy speaks through the field errors. */
export function SignupForm() {
  const { signup } = useAuth();
  const mutation = useMutation<AuthResult, ApiError, SignupInput>({ mutationFn: signup });
  const errors = formErrors(mutation.error, FIELDS);
  const waitSeconds = useRetryCountdown(errors.retryAfterMs, mutation.error);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    mutation.mutate({ name: textOf(form, "name"), email: textOf(form, "email"), password: textOf(form, "password") });
  };

  return (
    <form className="form" noValidate onSubmit={submit} aria-label="Sign up" data-testid="signup-form">
      <FormAlert errors={errors} waitSeconds={waitSeconds} />
      <TextField label="Name" name="name" autoComplete="name" required errors={errors.byField.name} />
      <TextField label="Email" name="email" type="email" autoComplete="email" required errors={errors.byField.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${PASSWORD_MIN} characters; avoid common passwords.`}
        errors={errors.byField.password}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={mutation.isPending || waitSeconds > 0}>
          {mutation.isPending ? "Creating your account…" : "Create account"}
        </button>
      </div>
    </form>
  );
}
