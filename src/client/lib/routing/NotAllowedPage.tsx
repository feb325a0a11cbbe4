import { Link } from "react-router";
import { useAuth } from "../session/useAuth";

/** A signed-in user whose role lacks the page's permission: say so, rather than showing an empty or broken page. */
export function NotAllowedPage() {
  const { role } = useAuth();
  return (
    <>
      <title>Not allowed · Gantry</title>
      <h1>Not allowed</h1>
      <p data-testid="not-allowed">
        Your role{role ? ` (${role})` : ""} does not give access to this page. Ask an administrator if you need it.
      </p>
      <p>
        <Link to="/">Go to the status page</Link>
      </p>
    </>
  );
}
