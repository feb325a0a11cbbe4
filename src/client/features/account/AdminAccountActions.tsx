import { type FormEvent, useState } from "react";
import type { PublicUser } from "../../../shared/schemas/auth";
import { describeApiError } from "../../lib/api/apiError";
import { useApiMutation } from "../../lib/api/useApi";
import { textOf } from "../../ui/form/formValues";

/** Whether the account's email is verified (or that the account was deleted). */
export function EmailStateBadge({ user }: { user: PublicUser }) {
  if (user.deleted) return <span className="badge badge-neutral">Deleted</span>;
  return (
    <span className={`badge ${user.emailVerified ? "badge-up" : "badge-degraded"}`} data-testid="email-verified-state">
      {user.emailVerified ? "Verified" : "Not verified"}
    </span>
  );
}

/** Download any account's data; delete it, confirmed with the administrator's own password. */
export function AdminAccountActions({ user }: { user: PublicUser }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useApiMutation((api) => api.account.deleteUser.mutationOptions(), {
    invalidates: (api) => [api.users.list.pathFilter()],
  });
  if (user.deleted) return null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    remove.mutate({ userId: user.id, password: textOf(event.currentTarget, "password") });
  };

  return (
    <span className="admin-account-actions">
      <a href={`/api/users/${user.id}/export.json`} download aria-label={`Download data of ${user.email}`}>
        Data
      </a>
      {confirming ? (
        <form onSubmit={submit} aria-label={`Delete ${user.email}`} className="inline-form">
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            aria-label="Your password, to confirm"
            placeholder="Your password"
            required
          />
          <button type="submit" className="danger" disabled={remove.isPending}>
            {remove.isPending ? "Deleting…" : "Delete for ever"}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button
          type="button"
          className="danger"
          onClick={() => setConfirming(true)}
          aria-label={`Delete ${user.email}`}
        >
          Delete
        </button>
      )}
      {remove.error ? (
        <span role="alert" className="inline-error">
          {describeApiError(remove.error).message}
        </span>
      ) : null}
    </span>
  );
}
