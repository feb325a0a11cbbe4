import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { formErrors } from "../../lib/api/formErrors";
import { useApiMutation } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";

/** Download one's data (a JSON file), and delete the account, confirmed with the password. */
export function LeavePanel() {
  const { logout } = useAuth();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const remove = useApiMutation((api) => api.account.delete.mutationOptions());
  const errors = formErrors(remove.error, ["password"]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    remove.mutate(
      { password: textOf(event.currentTarget, "password") },
      {
        // The server has ended every session; this browser forgets it and leaves.
        onSuccess: async () => {
          await logout().catch(() => {});
          await navigate("/goodbye");
        },
      },
    );
  };

  return (
    <section className="panel" aria-labelledby="leave-heading" data-testid="leave-panel">
      <h2 id="leave-heading">Your data</h2>
      <p>
        Download everything Gantry keeps about your account — profile, sessions, payments, refunds, data sets and
        pipelines — as one JSON file.
      </p>
      <p>
        <a className="button-link" href="/api/account/export.json" download data-testid="export-link">
          Download my data
        </a>
      </p>
      <h3>Delete your account</h3>
      <p>
        Every session ends at once, your email and name are erased, and your data sets and pipelines are removed.
        Payments stay in the books under an anonymous name. This cannot be undone.
      </p>
      {confirming ? (
        <form className="form" noValidate onSubmit={submit} aria-label="Delete account">
          <FormAlert errors={errors} waitSeconds={0} />
          <TextField
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            errors={errors.byField.password}
          />
          <div className="form-actions">
            <button type="submit" className="danger" disabled={remove.isPending}>
              {remove.isPending ? "Deleting…" : "Delete my account for ever"}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete my account…
        </button>
      )}
    </section>
  );
}
