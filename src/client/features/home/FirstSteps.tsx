import { Link } from "react-router";
import { useAuth } from "../../lib/session/useAuth";

/** The empty state of a first visit: what to do first, for what this role may do. */
export function FirstSteps() {
  const { can } = useAuth();
  const pay = can("payments:create");
  const upload = can("datasets:write");
  return (
    <section className="panel first-steps" aria-labelledby="first-steps-heading" data-testid="first-steps">
      <h2 id="first-steps-heading">Get started</h2>
      {pay || upload ? (
        <>
          <p>Nothing here yet. Start with one of these:</p>
          <ul>
            {pay ? (
              <li>
                <Link to="/payments">Make a payment</Link> with a sandbox test card.
              </li>
            ) : null}
            {upload ? (
              <li>
                <Link to="/datasets">Upload a data set</Link> (CSV or JSON Lines), then build a pipeline over it.
              </li>
            ) : null}
          </ul>
        </>
      ) : (
        <p>
          Your role can look but not change anything. Browse the <Link to="/datasets">data sets</Link> and{" "}
          <Link to="/pipelines">pipelines</Link> others have shared.
        </p>
      )}
    </section>
  );
}
