import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import type { SessionInfo } from "../../../shared/schemas/auth";
import { useApiMutation, useApiQuery } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { describeUserAgent, formatDateTime } from "../../ui/format";

/** Where this account is signed in; any other session can be ended from here. */
export function SessionsPanel() {
  const sessions = useApiQuery((api) => api.auth.sessions.queryOptions());
  const { logoutAll } = useAuth();
  const navigate = useNavigate();
  const everywhere = useMutation({
    mutationFn: logoutAll,
    onSuccess: () => navigate("/login", { replace: true }),
  });

  return (
    <section className="panel" aria-labelledby="sessions-heading" data-testid="sessions-panel">
      <h2 id="sessions-heading">Sessions</h2>
      {sessions.error ? <ErrorMessage error={sessions.error} title="Could not load your sessions" /> : null}
      {sessions.isPending ? <p aria-busy="true">Loading…</p> : null}
      {sessions.data ? (
        <ul className="session-list">
          {sessions.data.map((session) => (
            <SessionItem key={session.id} session={session} />
          ))}
        </ul>
      ) : null}
      {everywhere.error ? (
        <p role="alert" className="error-message">
          {everywhere.error.message}
        </p>
      ) : null}
      <button type="button" onClick={() => everywhere.mutate()} disabled={everywhere.isPending}>
        {everywhere.isPending ? "Signing out…" : "Sign out everywhere"}
      </button>
    </section>
  );
}

function SessionItem({ session }: { session: SessionInfo }) {
  const revoke = useApiMutation((api) => api.auth.revokeSession.mutationOptions(), {
    invalidates: (api) => [api.auth.sessions.queryFilter()],
  });
  const device = describeUserAgent(session.userAgent);
  return (
    <li data-testid="session" data-current={session.current}>
      <div>
        <strong>{device}</strong>
        {session.current ? <span className="badge badge-up">This browser</span> : null}
        <div className="muted-line">
          {session.ip ?? "unknown address"} · signed in {formatDateTime(session.createdAt)} · last seen{" "}
          {formatDateTime(session.lastSeenAt)}
        </div>
        {revoke.error ? <ErrorMessage error={revoke.error} /> : null}
      </div>
      {/* Ending this browser's own session is "Sign out", in the header. */}
      {session.current ? null : (
        <button
          type="button"
          onClick={() => revoke.mutate({ sessionId: session.id })}
          disabled={revoke.isPending}
          aria-label={`Sign out ${device}, signed in ${formatDateTime(session.createdAt)}`}
        >
          Sign out
        </button>
      )}
    </li>
  );
}
