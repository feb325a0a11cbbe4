import { Link } from "react-router";
import { useApiQuery } from "../../lib/api/useApi";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { formatDateTime } from "../../ui/format";
import { describeActor } from "../admin";
import { recentAudit, userCount } from "./homeQueries";

/** Health is read again this often while the home page is open: the event backlog moves. */
const HEALTH_REFRESH_MS = 15_000;

/** What an administrator glances at first: how many accounts, what just happened, whether events flow. */
export function AdminOverview() {
  const users = useApiQuery((api) => api.users.list.queryOptions(userCount));
  const audit = useApiQuery((api) => api.audit.list.queryOptions(recentAudit));
  const health = useApiQuery((api) =>
    api.system.health.queryOptions(undefined, { refetchInterval: HEALTH_REFRESH_MS }),
  );
  const events = health.data?.dependencies.find((dependency) => dependency.name === "events");

  return (
    <section className="panel home-panel home-admin" aria-labelledby="home-admin-heading" data-testid="home-admin">
      <h2 id="home-admin-heading">Administration</h2>
      <dl className="facts">
        <dt>Accounts</dt>
        <dd data-testid="home-user-count">
          {users.data ? <Link to="/admin/users">{users.data.total.toLocaleString("en")}</Link> : "…"}
        </dd>
        <dt>Event backlog</dt>
        <dd data-testid="home-events-health" data-status={events?.status}>
          {events ? (
            <>
              <span className={`badge badge-${events.status}`}>{events.status}</span>
              {events.detail ? ` ${events.detail}` : ""}
            </>
          ) : health.error ? (
            "unknown"
          ) : (
            "…"
          )}{" "}
          <Link to="/admin/status">Status</Link>
        </dd>
      </dl>
      <h3 className="home-subheading">Recent audit entries</h3>
      {audit.error ? <ErrorMessage error={audit.error} title="Could not load the audit log" /> : null}
      {audit.data ? (
        <ul className="home-list" data-testid="home-audit">
          {audit.data.items.map((entry) => (
            <li key={entry.id}>
              <code>{entry.type}</code>
              <span className="muted">
                {describeActor(entry.actorKind, entry.actorId)} · {formatDateTime(entry.occurredAt)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="home-all">
        <Link to="/admin/audit">Audit log</Link>
      </p>
    </section>
  );
}
