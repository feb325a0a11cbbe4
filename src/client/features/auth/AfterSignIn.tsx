import { Navigate } from "react-router";
import { useApiQuery } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";

/** Where an admin goes to set up two-factor when REQUIRE_ADMIN_TWO_FACTOR asks for it. */
export const TWO_FACTOR_SETUP_PATH = "/profile?setup=two-factor";

/**
 * Where a fresh sign-in lands: the page the user came for, except that an admin who must turn
 * on two-factor authentication (REQUIRE_ADMIN_TWO_FACTOR) is sent to set it up first, since
 * every admin page would refuse them until then.
 */
export function AfterSignIn({ next }: { next: string }) {
  const { role } = useAuth();
  const isAdmin = role === "admin";
  const status = useApiQuery((api) => ({ ...api.auth.twoFactor.status.queryOptions(), enabled: isAdmin }));
  if (!isAdmin) return <Navigate to={next} replace />;
  if (status.isPending) return <p aria-busy="true">Signing in…</p>;
  const mustEnrol = status.data ? status.data.required && !status.data.enabled : false;
  return <Navigate to={mustEnrol ? TWO_FACTOR_SETUP_PATH : next} replace />;
}
