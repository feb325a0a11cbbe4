import { describe, expect, it } from "vitest";
import { checkDependencies, type DependencyProbe, isReady } from "./health.js";

const up = async () => undefined;
const down = async (): Promise<undefined> => {
  throw new Error("connection refused");
};

describe("dependency health", () => {
  it("a broker outage degrades the service but leaves it ready; a database outage does not", async () => {
    const brokerDown: DependencyProbe[] = [
      { name: "database", adapter: "postgres", critical: true, ping: up },
      { name: "events", adapter: "rabbitmq", ping: down },
    ];
    const statuses = await checkDependencies(brokerDown);
    expect(statuses.map((s) => [s.name, s.status, s.detail])).toEqual([
      ["database", "up", undefined],
      // The driver's words (an address, a user name) never reach this public report.
      ["events", "down", "unreachable"],
    ]);
    expect(isReady(brokerDown, statuses)).toBe(true);

    const databaseDown: DependencyProbe[] = [
      { name: "database", adapter: "postgres", critical: true, ping: down },
      { name: "events", adapter: "rabbitmq", ping: up },
    ];
    expect(isReady(databaseDown, await checkDependencies(databaseDown))).toBe(false);
  });

  it("reports a dependency that answers but is late as degraded, with the reason and its latency", async () => {
    const probes: DependencyProbe[] = [
      { name: "events", adapter: "rabbitmq", ping: async () => ({ degraded: "oldest unpublished event waited 90 s" }) },
    ];
    const [events] = await checkDependencies(probes);
    expect(events).toMatchObject({ status: "degraded", detail: "oldest unpublished event waited 90 s" });
    expect(events?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("probes each dependency at most about once a second however often health is asked", async () => {
    let pings = 0;
    const probes: DependencyProbe[] = [
      {
        name: "database",
        adapter: "postgres",
        critical: true,
        ping: async () => {
          pings += 1;
          return undefined;
        },
      },
    ];
    await Promise.all(Array.from({ length: 20 }, () => checkDependencies(probes)));
    await checkDependencies(probes);
    expect(pings).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await checkDependencies(probes);
    expect(pings).toBe(2);
  });
});
