import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import type { AuthResult } from "../../../shared/schemas/auth";
import type { SecondFactorChallenge } from "../../../shared/schemas/two-factor";
import type { ApiError } from "../../lib/api/apiError";
import { formErrors } from "../../lib/api/formErrors";
import { useRetryCountdown } from "../../lib/hooks/useRetryCountdown";
import type { CompleteLoginInput } from "../../lib/session/sessionApi";
import { useAuth } from "../../lib/session/useAuth";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";

const FIELDS = ["code"] as const;

/**
 * The second step of signing in to an account with two-factor on: the password was right, and
 * a code from the authenticator app (or a recovery code) opens the session. The challenge dies
 * after a few minutes or a few wrong codes; "Start over" goes back to the password.
 */
export function SecondFactorForm({
  challenge,
  onStartOver,
}: {
  challenge: SecondFactorChallenge;
  onStartOver: () => void;
}) {
  const { completeLogin } = useAuth();
  const mutation = useMutation<AuthResult, ApiError, CompleteLoginInput>({ mutationFn: completeLogin });
  const errors = formErrors(mutation.error, FIELDS);
  const waitSeconds = useRetryCountdown(errors.retryAfterMs, mutation.error);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate({ challenge: challenge.challenge, code: textOf(event.currentTarget, "code") });
  };

  return (
    <form
      className="form"
      noValidate
      onSubmit={submit}
      aria-label="Two-factor authentication"
      data-testid="second-factor-form"
    >
      <p>Your account has two-factor authentication. Enter the code your authenticator app shows now.</p>
      <FormAlert errors={errors} waitSeconds={waitSeconds} />
      <TextField
        label="Authentication code"
        name="code"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        required
        hint="The 6-digit code from your app, or one of your recovery codes (xxxx-xxxx-xxxx-xxxx)."
        errors={errors.byField.code}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={mutation.isPending || waitSeconds > 0}>
          {mutation.isPending ? "Checking…" : "Verify"}
        </button>
        <button type="button" onClick={onStartOver}>
          Start over
        </button>
      </div>
    </form>
  );
}
