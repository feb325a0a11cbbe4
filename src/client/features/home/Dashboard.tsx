import { Link } from "react-router";
import { formatMoney } from "../../../shared/money";
import { useApiQuery } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { formatDateTime } from "../../ui/format";
import { DatasetStatusBadge, datasetPath } from "../datasets";
import { PaymentStatusBadge, paymentPath } from "../payments";
import { pipelinePath, RunLive } from "../pipelines";
import { AdminOverview } from "./AdminOverview";
import { FirstSteps } from "./FirstSteps";
import { HomePanel } from "./HomePanel";
import { isFirstVisit, recentDatasets, recentPayments, recentRuns } from "./homeQueries";

/** A signed-in user's home: their latest payments, data sets and runs; admins also the system's pulse. */
export function Dashboard() {
  const { user, can } = useAuth();
  const payments = useApiQuery((api) => api.payments.list.queryOptions(recentPayments));
  const datasets = useApiQuery((api) => api.pipelines.datasets.list.queryOptions(recentDatasets));
  const runs = useApiQuery((api) => api.pipelines.runs.queryOptions(recentRuns));
  const firstVisit = isFirstVisit([payments.data?.total, datasets.data?.total, runs.data?.total]);

  return (
    <>
      <title>Home · Gantry</title>
      <h1>Home</h1>
      <p className="muted">Welcome, {user?.name}.</p>
      {firstVisit ? <FirstSteps /> : null}
      <div className="home-grid">
        <HomePanel
          id="home-payments"
          title="Recent payments"
          all={{ to: "/payments", label: "All payments" }}
          query={payments}
          empty="No payments yet."
        >
          {payments.data?.items.map((payment) => (
            <li key={payment.id} data-testid="home-payment">
              <Link to={paymentPath(payment.id)}>
                {formatMoney(payment.amount, payment.currency)}
                {payment.description ? ` · ${payment.description}` : ""}
              </Link>
              <PaymentStatusBadge status={payment.status} />
              <span className="muted">{formatDateTime(payment.createdAt)}</span>
            </li>
          ))}
        </HomePanel>

        <HomePanel
          id="home-datasets"
          title="Data sets"
          all={{ to: "/datasets", label: "All data sets" }}
          query={datasets}
          empty="No data sets yet."
        >
          {datasets.data?.items.map((dataset) => (
            <li key={dataset.id} data-testid="home-dataset">
              <Link to={datasetPath(dataset.id)}>{dataset.name}</Link>
              <DatasetStatusBadge status={dataset.status} />
              <span className="muted">
                {dataset.rowCount === null ? "" : `${dataset.rowCount.toLocaleString("en")} rows · `}
                {formatDateTime(dataset.createdAt)}
              </span>
            </li>
          ))}
        </HomePanel>

        <HomePanel
          id="home-runs"
          title="Pipeline runs"
          all={{ to: "/runs", label: "All runs" }}
          query={runs}
          empty="No pipeline runs yet."
        >
          {runs.data?.items.map((run) => (
            <li key={run.id} data-testid="home-run" className="home-run">
              <Link to={pipelinePath(run.pipelineId)}>Run of {formatDateTime(run.createdAt)}</Link>
              {/* Live while queued or running (pipelines.onRunProgress), then the result. */}
              <RunLive run={run} testId="home-run-live" />
            </li>
          ))}
        </HomePanel>

        {can("users:manage") && can("audit:read") ? <AdminOverview /> : null}
      </div>
      {payments.error && datasets.error && runs.error ? (
        <ErrorMessage error={payments.error} title="Could not load your overview" />
      ) : null}
    </>
  );
}
