import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import type { Permission } from "../../../shared/permissions";
import { useAuth } from "../session/useAuth";
import { NotAllowedPage } from "./NotAllowedPage";
import { loginPathFor } from "./nextPath";

interface RequireAccessProps {
  /** Omit for pages any signed-in user may see. */
  permission?: Permission;
  children: ReactNode;
}

/**
 * Guards a page: signed out goes to sign-in (and back here after), a role without the
 * permission sees why. Re-evaluated on every session change, so a role change or a
 * revoked session takes effect on the open page. The server checks again regardless.
 */
export function RequireAccess({ permission, children }: RequireAccessProps) {
  const { status, can } = useAuth();
  const location = useLocation();
  if (status === "unknown") {
    return (
      <p aria-busy="true" className="muted">
        Checking your session…
      </p>
    );
  }
  if (status === "signedOut") return <Navigate to={loginPathFor(location)} replace />;
  if (permission && !can(permission)) return <NotAllowedPage />;
  return children;
}
