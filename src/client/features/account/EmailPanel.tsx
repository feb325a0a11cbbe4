import { useAuth } from "../../lib/session/useAuth";
import { ChangeEmailForm } from "./ChangeEmailForm";
import { ResendVerificationButton } from "./ResendVerificationButton";

/** The address, whether it is verified, a new link, and changing it (what the role may change). */
export function EmailPanel() {
  const { user, can } = useAuth();
  if (!user) return null;
  return (
    <section className="panel" aria-labelledby="email-heading" data-testid="email-panel">
      <h2 id="email-heading">Email</h2>
      <p>
        {user.email}{" "}
        <span className={`badge ${user.emailVerified ? "badge-up" : "badge-degraded"}`} data-testid="email-state">
          {user.emailVerified ? "Verified" : "Not verified"}
        </span>
      </p>
      {user.emailVerified ? null : <ResendVerificationButton />}
      {can("profile:update") ? <ChangeEmailForm /> : null}
    </section>
  );
}
