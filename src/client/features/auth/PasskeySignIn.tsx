import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import { useTRPCClient } from "../../lib/api/trpc";
import { passkeyProblem } from "../../lib/session/passkeyErrors";
import { useAuth } from "../../lib/session/useAuth";

/**
 * "Sign in with a passkey": no email, no password. The browser offers the passkeys it holds
 * for this site (discoverable credentials), the server checks the one chosen and opens a
 * session just as a password sign-in does. Hidden where the browser has no WebAuthn.
 */
export function PasskeySignIn() {
  const client = useTRPCClient();
  const { signInWith } = useAuth();
  const ceremony = useMutation({
    mutationFn: () =>
      signInWith(async () => {
        const optionsJSON = await client.auth.passkeys.signInOptions.mutate();
        const response = await startAuthentication({ optionsJSON });
        return client.auth.passkeys.signIn.mutate({ response });
      }),
  });
  if (!browserSupportsWebAuthn()) return null;

  return (
    <div className="passkey-sign-in" data-testid="passkey-sign-in">
      {ceremony.error ? (
        <p role="alert" className="error-message" data-testid="passkey-sign-in-error">
          {passkeyProblem(ceremony.error)}
        </p>
      ) : null}
      <button type="button" onClick={() => ceremony.mutate()} disabled={ceremony.isPending}>
        {ceremony.isPending ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </button>
    </div>
  );
}
