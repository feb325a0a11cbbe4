import { z } from "zod";

/**
 * Single sign-on, as both sides see it: why a sign-in or link through the provider did not
 * happen. The server redirects to `/login?sso_error=<reason>` (or the profile for a link) and
 * the client shows the sentence below; a reason never carries the provider's own text.
 */
export const ssoFailureReasons = [
  "not_configured",
  "denied",
  "bad_state",
  "expired",
  "provider_unavailable",
  "provider_error",
  "email_in_use",
  "email_missing",
  "email_unverified",
  "disabled",
  "session_mismatch",
  "identity_taken",
  "already_linked",
  "rate_limited",
  "server_error",
] as const;

export type SsoFailureReason = (typeof ssoFailureReasons)[number];

/** The sentence a person reads for each reason; `{name}` is the provider's label (OIDC_NAME). */
const MESSAGES: Record<SsoFailureReason, string> = {
  not_configured: "Single sign-on is not set up on this server.",
  denied: "Sign-in with {name} was cancelled.",
  bad_state:
    "That sign-in link was not started in this browser or was already used. Please start again from the sign-in page.",
  expired: "The sign-in with {name} took too long. Please try again.",
  provider_unavailable: "{name} did not answer in time. Please try again in a moment, or sign in with your password.",
  provider_error: "{name} did not complete the sign-in. Please try again, or sign in with your password.",
  email_in_use:
    "An account with this email already exists. Sign in with your password, then link {name} from your profile.",
  email_missing: "{name} did not share an email address, which Gantry needs to open an account.",
  email_unverified: "{name} says this email address is not verified. Verify it there, then try again.",
  disabled: "This account is disabled. Contact an administrator.",
  session_mismatch: "You were signed out or signed in as someone else while linking. Please sign in and try again.",
  identity_taken: "This {name} account already signs in to another Gantry account.",
  already_linked: "Your account is already linked to another {name} account. Unlink it first.",
  rate_limited: "Too many sign-in attempts from this address. Please wait a minute and try again.",
  server_error: "Something went wrong on our side while signing you in. Please try again in a moment.",
};

export function ssoFailureMessage(reason: string, providerName: string): string {
  const known = (ssoFailureReasons as readonly string[]).includes(reason);
  const text = known ? MESSAGES[reason as SsoFailureReason] : MESSAGES.provider_error;
  return text.replaceAll("{name}", providerName);
}

/** Query parameters the callback adds to where it lands. */
export const SSO_ERROR_PARAM = "sso_error";
export const SSO_LINKED_PARAM = "sso_linked";

export const unlinkSsoInput = z.object({ identityId: z.uuid() });
