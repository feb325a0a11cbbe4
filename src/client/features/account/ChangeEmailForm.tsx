import type { FormEvent } from "react";
import { formErrors } from "../../lib/api/formErrors";
import { useApiMutation } from "../../lib/api/useApi";
import { useRetryCountdown } from "../../lib/hooks/useRetryCountdown";
import { useAuth } from "../../lib/session/useAuth";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";

const FIELDS = ["newEmail", "password"] as const;

/** A new address needs the password; a link goes to it, and the old address is told. */
export function ChangeEmailForm() {
  const { applyUser } = useAuth();
  const mutation = useApiMutation((api) => api.account.changeEmail.mutationOptions({ onSuccess: applyUser }), {
    invalidates: (api) => [api.account.verification.queryFilter()],
  });
  const errors = formErrors(mutation.error, FIELDS);
  const waitSeconds = useRetryCountdown(errors.retryAfterMs, mutation.error);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    mutation.mutate(
      { newEmail: textOf(form, "newEmail"), password: textOf(form, "password") },
      { onSuccess: () => form.reset() },
    );
  };

  return (
    <form className="form" noValidate onSubmit={submit} aria-label="Change email" data-testid="email-form">
      <FormAlert errors={errors} waitSeconds={waitSeconds} />
      <TextField
        label="New email"
        name="newEmail"
        type="email"
        autoComplete="email"
        required
        errors={errors.byField.newEmail}
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
          {mutation.isPending ? "Changing…" : "Change email"}
        </button>
        {mutation.isSuccess ? (
          <span role="status" className="saved" data-testid="email-changed">
            Changed. Open the link we sent to the new address to verify it.
          </span>
        ) : null}
      </div>
    </form>
  );
}
