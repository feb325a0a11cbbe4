import { Link } from "react-router";

/** Where a deleted account's browser lands. */
export function GoodbyePage() {
  return (
    <div className="auth-page">
      <title>Account deleted · Gantry</title>
      <h1>Your account has been deleted</h1>
      <p role="status" className="notice" data-testid="account-deleted">
        Every session has ended and your email and name have been erased. Your data sets and pipelines are being
        removed. <Link to="/signup">Create a new account</Link> at any time.
      </p>
    </div>
  );
}
