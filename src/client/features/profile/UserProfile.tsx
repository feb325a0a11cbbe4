import { useAuth } from "../../lib/session/useAuth";
import { formatDate } from "../../ui/format";
import { EmailPanel, LeavePanel } from "../account";
import { ChangePasswordForm } from "./ChangePasswordForm";
import { NameForm } from "./NameForm";
import { PasskeysPanel } from "./PasskeysPanel";
import { SessionsPanel } from "./SessionsPanel";
import { SsoIdentitiesPanel } from "./SsoIdentitiesPanel";
import { TwoFactorPanel } from "./TwoFactorPanel";

/**
 * The signed-in user's own account. What a role may not change is not offered at all
 * (a guest sees the profile read-only), and it updates live when the role changes.
 */
export function UserProfile() {
  const { user, can } = useAuth();
  if (!user) return null;
  const editable = can("profile:update");
  return (
    <div className="panels profile-panels">
      <section className="panel" aria-labelledby="profile-heading" data-testid="profile-panel">
        <h2 id="profile-heading">Profile</h2>
        <dl className="facts">
          {editable ? null : (
            <>
              <dt>Name</dt>
              <dd data-testid="profile-name">{user.name}</dd>
            </>
          )}
          <dt>Email</dt>
          <dd data-testid="profile-email">{user.email}</dd>
          <dt>Role</dt>
          <dd>
            <span className="badge" data-testid="profile-role">
              {user.role}
            </span>
          </dd>
          <dt>Member since</dt>
          <dd>{formatDate(user.createdAt)}</dd>
        </dl>
        {editable ? (
          <NameForm user={user} />
        ) : (
          <p className="notice" data-testid="read-only-notice">
            Your role ({user.role}) can view but not change this profile.
          </p>
        )}
      </section>
      {editable ? (
        <section className="panel" aria-labelledby="password-heading">
          <h2 id="password-heading">Password</h2>
          <ChangePasswordForm />
        </section>
      ) : null}
      <PasskeysPanel />
      <TwoFactorPanel />
      <SsoIdentitiesPanel />
      <EmailPanel />
      <SessionsPanel />
      <LeavePanel />
    </div>
  );
}
