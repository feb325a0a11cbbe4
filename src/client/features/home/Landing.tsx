import { Link } from "react-router";

/** What an anonymous visitor sees at `/`: what Gantry is, and the two ways in. */
export function Landing() {
  return (
    <>
      <title>Gantry</title>
      <section className="landing" aria-labelledby="landing-heading">
        <h1 id="landing-heading">Gantry</h1>
        <p className="landing-lead">
          Make and refund payments, import data sets and run pipelines over them, and watch the work happen live.
        </p>
        <div className="landing-actions">
          <Link to="/signup" className="button-link">
            Sign up
          </Link>
          <Link to="/login">Sign in</Link>
        </div>
      </section>
    </>
  );
}
