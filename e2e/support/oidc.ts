/** The single sign-on provider the services e2e server runs in-process (E2E_OIDC=1). */
export const E2E_OIDC = {
  /** What the sign-in button says: "Sign in with Test ID". */
  name: "Test ID",
  /** Any login signs in at the provider; its email is `<login>@<emailDomain>`. */
  emailDomain: "sso.gantry.test",
} as const;
