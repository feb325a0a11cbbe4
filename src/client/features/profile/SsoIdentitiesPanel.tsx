import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { SSO_ERROR_PARAM, SSO_LINKED_PARAM, ssoFailureMessage } from "../../../shared/sso";
import { CLIENT_HEADER } from "../../lib/api/endpoints";
import { useApiMutation, useApiQuery } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { formatDateTime } from "../../ui/format";

/** Asks the server to start a link for this session; it answers with the provider's URL. */
async function startLink(): Promise<string> {
  const response = await fetch("/auth/sso/link", {
    method: "POST",
    credentials: "same-origin",
    headers: { [CLIENT_HEADER]: "web" },
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string; error?: { message?: string } };
  if (!response.ok || !body.url) throw new Error(body.error?.message ?? "Could not start linking. Please try again.");
  return body.url;
}

/**
 * The profile's "Single sign-on" panel: the identities that sign in to this account, linking
 * the configured provider (after a confirmation: the browser leaves for the provider), and
 * unlinking, which the server refuses when it would leave no way to sign in.
 */
export function SsoIdentitiesPanel() {
  const { can } = useAuth();
  const account = useApiQuery((api) => api.sso.account.queryOptions());
  const [params] = useSearchParams();
  const [confirming, setConfirming] = useState(false);
  const link = useMutation({ mutationFn: startLink, onSuccess: (url) => window.location.assign(url) });
  const unlink = useApiMutation((api) => api.sso.unlink.mutationOptions(), {
    invalidates: (api) => [api.sso.account.queryFilter()],
  });

  const data = account.data;
  // Nothing to show on a server without SSO to an account that never had it.
  if (!data || (!data.provider && data.identities.length === 0)) return null;
  const name = data.provider?.name ?? "Single sign-on";
  const editable = can("profile:update");
  const linked = data.provider ? data.identities.some((identity) => identity.issuer === data.provider?.issuer) : true;
  const reason = params.get(SSO_ERROR_PARAM);

  return (
    <section className="panel" aria-labelledby="sso-heading" data-testid="sso-panel">
      <h2 id="sso-heading">Single sign-on</h2>
      {params.has(SSO_LINKED_PARAM) ? (
        <p role="status" className="notice" data-testid="sso-linked">
          {name} is now linked: you can sign in with it.
        </p>
      ) : null}
      {reason ? (
        <p role="alert" className="error-message" data-testid="sso-error">
          {ssoFailureMessage(reason, name)}
        </p>
      ) : null}
      {data.identities.length === 0 ? <p>No {name} account is linked.</p> : null}
      <ul className="session-list">
        {data.identities.map((identity) => (
          <li key={identity.id} data-testid="sso-identity">
            <div>
              <strong>{identity.email ?? identity.issuer}</strong>
              <div className="muted-line">
                {identity.issuer} · linked {formatDateTime(identity.createdAt)}
                {identity.lastUsedAt ? ` · last used ${formatDateTime(identity.lastUsedAt)}` : ""}
              </div>
            </div>
            {editable ? (
              <button
                type="button"
                onClick={() => unlink.mutate({ identityId: identity.id })}
                disabled={unlink.isPending}
              >
                Unlink
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {unlink.error ? <ErrorMessage error={unlink.error} /> : null}
      {data.hasPassword ? null : (
        <p className="muted-line" data-testid="sso-no-password">
          This account has no password: it signs in with {name} only. To add one, use “Forgot your password?” on the
          sign-in page.
        </p>
      )}
      {editable && data.provider && !linked ? (
        confirming ? (
          <div className="form-actions" data-testid="sso-link-confirm">
            <p>You will sign in at {name}; that account will then also sign in to this Gantry account. Continue?</p>
            <button type="button" className="primary" onClick={() => link.mutate()} disabled={link.isPending}>
              {link.isPending ? "Opening…" : `Continue to ${name}`}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Link {name}
          </button>
        )
      ) : null}
      {link.error ? (
        <p role="alert" className="error-message">
          {link.error.message}
        </p>
      ) : null}
    </section>
  );
}
