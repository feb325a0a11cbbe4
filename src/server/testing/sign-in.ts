import type { AuthResult } from "../../shared/schemas/auth.js";
import type { SecondFactorChallenge } from "../../shared/schemas/two-factor.js";

/**
 * The session of a sign-in that a test expects to complete at once (an account without
 * two-factor); fails loudly when `auth.login` asked for a second factor instead.
 */
export function expectSignedIn(result: AuthResult | SecondFactorChallenge): AuthResult {
  if ("secondFactorRequired" in result) throw new Error("expected a session, but the sign-in asks for a second factor");
  return result;
}
