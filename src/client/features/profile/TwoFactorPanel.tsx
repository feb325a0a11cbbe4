import { type FormEvent, useState } from "react";
import type { TwoFactorEnrolment, TwoFactorStatus } from "../../../shared/schemas/two-factor";
import { formErrors } from "../../lib/api/formErrors";
import { useApiMutation, useApiQuery } from "../../lib/api/useApi";
import { useRetryCountdown } from "../../lib/hooks/useRetryCountdown";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { FormAlert } from "../../ui/form/FormAlert";
import { textOf } from "../../ui/form/formValues";
import { TextField } from "../../ui/form/TextField";

/**
 * "Two-factor authentication" on the profile page: set up an authenticator app (QR code or
 * typed key, then a code to confirm), see the ten recovery codes once, and turn it off with
 * the password and a code.
 */
export function TwoFactorPanel() {
  const status = useApiQuery((api) => api.auth.twoFactor.status.queryOptions());
  // Shown once, right after confirming: the server keeps only their hashes.
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  return (
    <section className="panel" id="two-factor" aria-labelledby="two-factor-heading" data-testid="two-factor-panel">
      <h2 id="two-factor-heading">Two-factor authentication</h2>
      {status.error ? <ErrorMessage error={status.error} title="Could not load two-factor settings" /> : null}
      {status.isPending ? <p aria-busy="true">Loading…</p> : null}
      {recoveryCodes ? (
        <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />
      ) : status.data ? (
        status.data.enabled ? (
          <TwoFactorOn status={status.data} />
        ) : (
          <TwoFactorOff status={status.data} onEnabled={setRecoveryCodes} />
        )
      ) : null}
    </section>
  );
}

function TwoFactorOff({ status, onEnabled }: { status: TwoFactorStatus; onEnabled: (codes: string[]) => void }) {
  const begin = useApiMutation((api) => api.auth.twoFactor.begin.mutationOptions());
  return (
    <>
      {status.required ? (
        <p className="notice" role="status" data-testid="two-factor-required">
          Administrators must use two-factor authentication. Set it up to use the admin pages.
        </p>
      ) : null}
      <p>
        <span className="badge badge-neutral">Off</span> After your password, sign-in will also ask for a code from an
        authenticator app on your phone (Google Authenticator, 1Password, Authy and others).
      </p>
      {begin.data ? (
        <ConfirmEnrolment enrolment={begin.data} onEnabled={onEnabled} />
      ) : (
        <>
          {begin.error ? <ErrorMessage error={begin.error} /> : null}
          <button type="button" className="primary" onClick={() => begin.mutate()} disabled={begin.isPending}>
            {begin.isPending ? "Preparing…" : "Set up two-factor authentication"}
          </button>
        </>
      )}
    </>
  );
}

function ConfirmEnrolment({
  enrolment,
  onEnabled,
}: {
  enrolment: TwoFactorEnrolment;
  onEnabled: (codes: string[]) => void;
}) {
  const confirm = useApiMutation((api) => api.auth.twoFactor.confirm.mutationOptions(), {
    invalidates: (api) => [api.auth.twoFactor.status.queryFilter()],
  });
  const errors = formErrors(confirm.error, ["code"]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    confirm.mutate(
      { code: textOf(event.currentTarget, "code") },
      { onSuccess: (result) => onEnabled(result.recoveryCodes) },
    );
  };
  return (
    <div className="two-factor-enrolment">
      <ol>
        <li>Scan this QR code with your authenticator app.</li>
        <li>Or type this key into the app instead:</li>
      </ol>
      <img src={enrolment.qrCodeDataUrl} alt="QR code for your authenticator app" width={200} height={200} />
      <p>
        <code data-testid="two-factor-manual-key">{enrolment.manualKey}</code>
      </p>
      <form className="form" noValidate onSubmit={submit} aria-label="Confirm two-factor authentication">
        <FormAlert errors={errors} waitSeconds={0} />
        <TextField
          label="Code from the app"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          hint="Enter the 6-digit code the app shows now, to prove it is set up."
          errors={errors.byField.code}
        />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={confirm.isPending}>
            {confirm.isPending ? "Checking…" : "Turn on"}
          </button>
        </div>
      </form>
    </div>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div data-testid="recovery-codes-panel">
      <p role="status" className="saved">
        Two-factor authentication is on.
      </p>
      <p>
        Save these recovery codes somewhere safe. Each one signs you in once if you lose your phone.
        <strong> They are shown only now.</strong>
      </p>
      <ul className="recovery-codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button type="button" className="primary" onClick={onDone}>
        I have saved these codes
      </button>
    </div>
  );
}

function TwoFactorOn({ status }: { status: TwoFactorStatus }) {
  const disable = useApiMutation((api) => api.auth.twoFactor.disable.mutationOptions(), {
    invalidates: (api) => [api.auth.twoFactor.status.queryFilter()],
  });
  const errors = formErrors(disable.error, ["password", "code"]);
  const waitSeconds = useRetryCountdown(errors.retryAfterMs, disable.error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    disable.mutate({ password: textOf(form, "password"), code: textOf(form, "code") });
  };
  return (
    <>
      <p data-testid="two-factor-on">
        <span className="badge badge-up">On</span> Sign-in asks for a code from your authenticator app.{" "}
        <span data-testid="recovery-codes-left">{status.recoveryCodesLeft}</span> of 10 recovery codes left.
      </p>
      {status.required ? (
        <p className="notice">Administrators must keep two-factor authentication on to use the admin pages.</p>
      ) : null}
      <form className="form" noValidate onSubmit={submit} aria-label="Turn off two-factor authentication">
        <FormAlert errors={errors} waitSeconds={waitSeconds} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={errors.byField.password}
        />
        <TextField
          label="Code from the app or a recovery code"
          name="code"
          autoComplete="one-time-code"
          required
          errors={errors.byField.code}
        />
        <div className="form-actions">
          <button type="submit" disabled={disable.isPending || waitSeconds > 0}>
            {disable.isPending ? "Turning off…" : "Turn off two-factor authentication"}
          </button>
        </div>
      </form>
    </>
  );
}
