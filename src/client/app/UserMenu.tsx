import { useMutation } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router";
import { useAuth } from "../lib/session/useAuth";

/** Who is signed in and as what, with the way out; or the ways in. */
export function UserMenu() {
  const { status, user, logout } = useAuth();
  const navigate = useNavigate();
  const signOut = useMutation({ mutationFn: logout, onSuccess: () => navigate("/login") });

  if (status === "unknown") return <div className="user-menu" aria-hidden="true" />;
  if (!user) {
    return (
      <div className="user-menu" data-testid="user-menu">
        <Link to="/login">Sign in</Link>
        <Link to="/signup" className="button-link">
          Sign up
        </Link>
      </div>
    );
  }
  return (
    <div className="user-menu" data-testid="user-menu">
      <span className="user-identity">
        <span data-testid="user-name">{user.name}</span>{" "}
        <span className="badge badge-role" data-testid="user-role">
          {user.role}
        </span>
      </span>
      <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
        {signOut.isPending ? "Signing out…" : "Sign out"}
      </button>
      {signOut.error ? (
        <span role="alert" className="inline-error">
          Could not sign out: {signOut.error.message}
        </span>
      ) : null}
    </div>
  );
}
