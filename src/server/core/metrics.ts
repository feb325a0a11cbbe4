import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * One registry per app instance (not prom-client's global), so tests can build several
 * apps in one process without metric name clashes.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<"path" | "type" | "code">;
  readonly requestDuration: Histogram<"path" | "type">;
  readonly httpInFlight: Gauge;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: "gantry_trpc_requests_total",
      help: "tRPC procedure calls by path, type and result code",
      labelNames: ["path", "type", "code"],
      registers: [this.registry],
    });
    this.requestDuration = new Histogram({
      name: "gantry_trpc_request_duration_seconds",
      help: "tRPC procedure duration by path and type",
      labelNames: ["path", "type"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.httpInFlight = new Gauge({
      name: "gantry_http_requests_in_flight",
      help: "HTTP requests received and not yet answered",
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  /** A gauge whose value is read from `collect` at scrape time (outbox backlog, queue depths). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    collect: (gauge: Gauge<L>) => Promise<void>,
  ): void {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        // A dependency that is down (Redis for queue depths, the database during the very outage
        // the metrics should show) must not fail the whole scrape: its series are dropped until
        // it answers again, rather than shown stale.
        await collect(this).catch(() => this.reset());
      },
    });
  }
}
