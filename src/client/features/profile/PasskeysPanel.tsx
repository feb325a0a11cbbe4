import { startRegistration } from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { PASSKEY_NAME_MAX, PASSKEYS_MAX_PER_USER } from "../../../shared/constants";
import type { PasskeyView } from "../../../shared/schemas/passkeys";
import { type Api, useTRPCClient } from "../../lib/api/trpc";
import { useApi, useApiMutation, useApiQuery } from "../../lib/api/useApi";
import { passkeyProblem } from "../../lib/session/passkeyErrors";
import { useAuth } from "../../lib/session/useAuth";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";
import { formatDateTime } from "../../ui/format";

/**
 * The account's passkeys on the profile: add one (the browser asks the device to make it),
 * rename and remove them. A guest sees them but changes nothing, as with the password.
 */
export function PasskeysPanel() {
  const passkeys = useApiQuery((a) => a.auth.passkeys.list.queryOptions());
  const editable = useAuth().can("profile:update");
  const full = (passkeys.data?.length ?? 0) >= PASSKEYS_MAX_PER_USER;

  return (
    <section className="panel" aria-labelledby="passkeys-heading" data-testid="passkeys-panel">
      <h2 id="passkeys-heading">Passkeys</h2>
      <p className="muted-line">
        Sign in with your device's screen lock or a security key instead of your password. You can have up to{" "}
        {PASSKEYS_MAX_PER_USER}.
      </p>
      {passkeys.error ? <ErrorMessage error={passkeys.error} title="Could not load your passkeys" /> : null}
      {passkeys.isPending ? <p aria-busy="true">Loading…</p> : null}
      {passkeys.data?.length === 0 ? <p data-testid="no-passkeys">You have no passkeys yet.</p> : null}
      {passkeys.data?.length ? (
        <ul className="session-list" aria-label="Your passkeys">
          {passkeys.data.map((passkey) => (
            <PasskeyItem key={passkey.id} passkey={passkey} editable={editable} />
          ))}
        </ul>
      ) : null}
      {editable ? <AddPasskeyForm full={full} /> : null}
    </section>
  );
}

function AddPasskeyForm({ full }: { full: boolean }) {
  const client = useTRPCClient();
  const { api, queryClient } = useApi();
  const ceremony = useMutation({
    mutationFn: async (name: string) => {
      const optionsJSON = await client.auth.passkeys.registrationOptions.mutate();
      const response = await startRegistration({ optionsJSON });
      return client.auth.passkeys.register.mutate({ name: name || undefined, response });
    },
    onSuccess: () => queryClient.invalidateQueries(api.auth.passkeys.list.queryFilter()),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    ceremony.mutate(textOf(form, "name").trim(), { onSuccess: () => form.reset() });
  };

  return (
    <form className="form" noValidate onSubmit={submit} aria-label="Add a passkey" data-testid="add-passkey-form">
      {ceremony.error ? (
        <p role="alert" className="error-message" data-testid="passkey-error">
          {passkeyProblem(ceremony.error)}
        </p>
      ) : null}
      <TextField
        label="Name of the new passkey"
        name="name"
        maxLength={PASSKEY_NAME_MAX}
        hint="Optional, e.g. “Work laptop”, so you can tell your passkeys apart."
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={ceremony.isPending || full}>
          {ceremony.isPending ? "Waiting for your device…" : "Add a passkey"}
        </button>
        {ceremony.isSuccess ? (
          <span role="status" className="saved" data-testid="passkey-added">
            Passkey added.
          </span>
        ) : null}
        {full ? <span className="muted-line">Remove a passkey to add another.</span> : null}
      </div>
    </form>
  );
}

function PasskeyItem({ passkey, editable }: { passkey: PasskeyView; editable: boolean }) {
  const [mode, setMode] = useState<"view" | "rename" | "remove">("view");
  const invalidates = { invalidates: (a: Api) => [a.auth.passkeys.list.queryFilter()] };
  const rename = useApiMutation(
    (a) => a.auth.passkeys.rename.mutationOptions({ onSuccess: () => setMode("view") }),
    invalidates,
  );
  const remove = useApiMutation((a) => a.auth.passkeys.remove.mutationOptions(), invalidates);

  const submitRename = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    rename.mutate({ id: passkey.id, name: textOf(event.currentTarget, "name") });
  };

  return (
    <li data-testid="passkey" data-name={passkey.name}>
      <div>
        {mode === "rename" ? (
          <form className="form" noValidate onSubmit={submitRename} aria-label={`Rename ${passkey.name}`}>
            <TextField
              label="New name"
              name="name"
              defaultValue={passkey.name}
              maxLength={PASSKEY_NAME_MAX}
              required
              errors={rename.error?.data?.fieldErrors?.name}
            />
            <div className="form-actions">
              <button type="submit" className="primary" disabled={rename.isPending}>
                Save name
              </button>
              <button type="button" onClick={() => setMode("view")}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <strong data-testid="passkey-name">{passkey.name}</strong>
        )}
        {passkey.backedUp ? <span className="badge">Synced</span> : null}
        <div className="muted-line">
          added {formatDateTime(passkey.createdAt)} ·{" "}
          {passkey.lastUsedAt ? `last used ${formatDateTime(passkey.lastUsedAt)}` : "not used yet"}
        </div>
        {remove.error ? <ErrorMessage error={remove.error} /> : null}
        {rename.error && !rename.error.data?.fieldErrors?.name ? <ErrorMessage error={rename.error} /> : null}
      </div>
      {editable && mode === "view" ? (
        <div className="form-actions">
          <button type="button" onClick={() => setMode("rename")} aria-label={`Rename ${passkey.name}`}>
            Rename
          </button>
          <button type="button" onClick={() => setMode("remove")} aria-label={`Remove ${passkey.name}`}>
            Remove
          </button>
        </div>
      ) : null}
      {editable && mode === "remove" ? (
        <fieldset className="form-actions passkey-confirm" aria-label={`Confirm removing ${passkey.name}`}>
          <button
            type="button"
            className="danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate({ id: passkey.id })}
          >
            Remove for good
          </button>
          <button type="button" onClick={() => setMode("view")}>
            Keep
          </button>
        </fieldset>
      ) : null}
    </li>
  );
}
