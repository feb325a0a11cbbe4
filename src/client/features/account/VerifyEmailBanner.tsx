import { useApiQuery } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { ResendVerificationButton } from "./ResendVerificationButton";
import { withheldUntilVerified } from "./verificationText";

/** Above every page while the signed-in account's email is not verified; it goes once the link is opened. */
export function VerifyEmailBanner() {
  const { status, user } = useAuth();
  const unverified = status === "signedIn" && user !== null && !user.emailVerified;
  if (!unverified) return null;
  return <Banner email={user.email} />;
}

function Banner({ email }: { email: string }) {
  const verification = useApiQuery((api) => api.account.verification.queryOptions());
  const withheld = withheldUntilVerified(verification.data?.requiredFor ?? []);
  return (
    <section className="notice verify-banner" aria-label="Verify your email" data-testid="verify-banner">
      <p>
        Please verify your email address: open the link we sent to <strong>{email}</strong>. {withheld}
      </p>
      <ResendVerificationButton />
    </section>
  );
}
