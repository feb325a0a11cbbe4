import { useAuth } from "../../lib/session/useAuth";
import { Dashboard } from "./Dashboard";
import { Landing } from "./Landing";

/**
 * `/`: a short landing for visitors, and for a signed-in user their own overview (decision
 * 0019). The server's Status page lives under Admin (`/admin/status`).
 */
export function HomePage() {
  const { status } = useAuth();
  if (status === "unknown") {
    return (
      <p aria-busy="true" className="muted">
        Checking your session…
      </p>
    );
  }
  return status === "signedIn" ? <Dashboard /> : <Landing />;
}
