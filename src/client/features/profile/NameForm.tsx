import type { FormEvent } from "react";
import { formErrors } from "../../lib/api/formErrors";
import { useApiMutation } from "../../lib/api/useApi";
import type { SignedInUser } from "../../lib/session/sessionSlice";
import { useAuth } from "../../lib/session/useAuth";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";

export function NameForm({ user }: { user: SignedInUser }) {
  const { applyUser } = useAuth();
  const mutation = useApiMutation((api) => api.users.updateProfile.mutationOptions({ onSuccess: applyUser }));
  const errors = formErrors(mutation.error, ["name"]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate({ name: textOf(event.currentTarget, "name") });
  };

  return (
    // Keyed by the name, so a change made elsewhere (another tab) shows here too.
    <form
      key={user.name}
      className="form"
      noValidate
      onSubmit={submit}
      aria-label="Edit profile"
      data-testid="profile-form"
    >
      <FormAlert errors={errors} waitSeconds={0} />
      <TextField
        label="Name"
        name="name"
        autoComplete="name"
        defaultValue={user.name}
        required
        errors={errors.byField.name}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {mutation.isPending ? "Saving…" : "Save"}
        </button>
        {mutation.isSuccess ? (
          <span role="status" className="saved" data-testid="profile-saved">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
