import type { Health } from "../../../shared/schemas/system";
import { useApiQuery } from "../../lib/api/useApi";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { formatClock, formatUptime } from "../../ui/format";
import { DependencyTable } from "./DependencyTable";

/** Often enough to notice an outage quickly, rarely enough to stay cheap (each call pings every dependency). */
const HEALTH_REFRESH_MS = 5_000;

export function StatusPanel() {
  const health = useApiQuery((api) =>
    api.system.health.queryOptions(undefined, { refetchInterval: HEALTH_REFRESH_MS }),
  );
  return (
    <section className="panel" aria-labelledby="status-heading" data-testid="status-panel">
      <h2 id="status-heading">Server</h2>
      {/* On a failed refresh the last known status stays visible under the error. */}
      {health.error ? <ErrorMessage error={health.error} title="Could not load the server status" /> : null}
      {health.data ? (
        <HealthSummary health={health.data} updatedAt={new Date(health.dataUpdatedAt)} />
      ) : health.isPending ? (
        <p aria-busy="true">Loading…</p>
      ) : null}
    </section>
  );
}

function HealthSummary({ health, updatedAt }: { health: Health; updatedAt: Date }) {
  return (
    <>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`badge badge-${health.status}`} data-testid="status-overall">
            {health.status}
          </span>
        </dd>
        <dt>Mode</dt>
        <dd data-testid="status-mode">{health.mode}</dd>
        <dt>Version</dt>
        <dd data-testid="status-version">{health.version}</dd>
        <dt>Uptime</dt>
        <dd>{formatUptime(health.uptimeSeconds)}</dd>
      </dl>
      <DependencyTable dependencies={health.dependencies} />
      <p className="muted">
        Checked at <time dateTime={updatedAt.toISOString()}>{formatClock(updatedAt)}</time>
      </p>
    </>
  );
}
