import { Link, Navigate, useSearchParams } from "react-router";
import { safeNextPath } from "../../lib/routing/nextPath";
import { selectSessionNotice } from "../../lib/session/sessionSlice";
import { useAuth } from "../../lib/session/useAuth";
import { useAppSelector } from "../../lib/store/hooks";
import { LoginForm } from "./LoginForm";

export function LoginPage() {
  const { status } = useAuth();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get("next"));
  // Why the session ended, when it did not end by the user's choice (SessionNavigator).
  const notice = useAppSelector(selectSessionNotice);

  // Signing in (here or in another tab) lands on the page the user came for.
  if (status === "signedIn") return <Navigate to={next} replace />;
  const signupLink = params.has("next") ? `/signup?next=${encodeURIComponent(next)}` : "/signup";
  return (
    <div className="auth-page">
      <title>Sign in · Gantry</title>
      <h1>Sign in</h1>
      {notice ? (
        <p role="status" className="notice" data-testid="session-notice">
          {notice}
        </p>
      ) : null}
      <LoginForm />
      <p>
        New to Gantry? <Link to={signupLink}>Create an account</Link>
      </p>
    </div>
  );
}
