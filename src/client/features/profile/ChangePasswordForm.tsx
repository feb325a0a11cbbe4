import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { PASSWORD_MIN } from "../../../shared/constants";
import type { AuthResult } from "../../../shared/schemas/auth";
import type { ApiError } from "../../lib/api/apiError";
import { formErrors } from "../../lib/api/formErrors";
import { useApi } from "../../lib/api/useApi";
import { useRetryCountdown } from "../../lib/hooks/useRetryCountdown";
import type { ChangePasswordInput } from "../../lib/session/sessionApi";
import { useAuth } from "../../lib/session/useAuth";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";

const FIELDS = ["currentPassword", "newPassword"] as const;

/** The server signs out every other session and keeps this browser signed in with a new one. */
export function ChangePasswordForm() {
  const { changePassword } = useAuth();
  const { api, queryClient } = useApi();
  const mutation = useMutation<AuthResult, ApiError, ChangePasswordInput & { form: HTMLFormElement }>({
    mutationFn: ({ form: _form, ...input }) => changePassword(input),
    onSuccess: async (_result, { form }) => {
      form.reset();
      await queryClient.invalidateQueries(api.auth.sessions.queryFilter());
    },
  });
  const errors = formErrors(mutation.error, FIELDS);
  const waitSeconds = useRetryCountdown(errors.retryAfterMs, mutation.error);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    mutation.mutate({
      currentPassword: textOf(form, "currentPassword"),
      newPassword: textOf(form, "newPassword"),
      form,
    });
  };

  return (
    <form className="form" noValidate onSubmit={submit} aria-label="Change password" data-testid="password-form">
      <FormAlert errors={errors} waitSeconds={waitSeconds} />
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        errors={errors.byField.currentPassword}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${PASSWORD_MIN} characters; avoid common passwords.`}
        errors={errors.byField.newPassword}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={mutation.isPending || waitSeconds > 0}>
          {mutation.isPending ? "Changing…" : "Change password"}
        </button>
        {mutation.isSuccess ? (
          <span role="status" className="saved" data-testid="password-changed">
            Password changed. Your other sessions were signed out.
          </span>
        ) : null}
      </div>
    </form>
  );
}
