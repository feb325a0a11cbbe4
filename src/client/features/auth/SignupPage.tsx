import { Link, Navigate, useSearchParams } from "react-router";
import { safeNextPath } from "../../lib/routing/nextPath";
import { useAuth } from "../../lib/session/useAuth";
import { SignupForm } from "./SignupForm";

export function SignupPage() {
  const { status } = useAuth();
  const [params] = useSearchParams();
  if (status === "signedIn") return <Navigate to={safeNextPath(params.get("next"), "/profile")} replace />;
  return (
    <div className="auth-page">
      <title>Sign up · Gantry</title>
      <h1>Create your account</h1>
      <SignupForm />
      <p>
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </div>
  );
}
