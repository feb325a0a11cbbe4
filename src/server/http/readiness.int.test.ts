import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../testing/app.js";
import { testServiceUrls } from "../testing/services.js";
import { TcpProxy, viaProxy } from "../testing/tcp-proxy.js";

/**
 * During a RabbitMQ outage every request is still served (events wait in the outbox), so the
 * instance must stay in the load balancer: ready, but degraded, and saying which part is down.
 */
describe("readiness during a broker outage", () => {
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    const broker = new URL(testServiceUrls.amqp);
    proxy = new TcpProxy(broker.hostname, Number(broker.port || 5672));
    await proxy.start();
    app = await createTestApp("services", { AMQP_URL: viaProxy(testServiceUrls.amqp, proxy.port) });
  }, 120_000);
  afterAll(async () => {
    proxy?.restore();
    await app?.close();
    await proxy?.stop();
  });

  async function readyz() {
    const response = await app.gantry.http!.inject({ method: "GET", url: "/readyz" });
    const body = response.json() as { status: string; dependencies: Array<{ name: string; status: string }> };
    const events = body.dependencies.find((d) => d.name === "events")?.status;
    return { code: response.statusCode, status: body.status, events };
  }

  it("stays ready (degraded) while RabbitMQ is down, serves requests, and is fully up once it returns", async () => {
    expect(await readyz()).toEqual({ code: 200, status: "ready", events: "up" });

    proxy.cut();
    await expect.poll(readyz, { timeout: 10_000, interval: 250 }).toEqual({
      code: 200,
      status: "degraded",
      events: "down",
    });
    // What a user does still works: the event it causes waits in the outbox.
    const user = await app.signup();
    expect(user.userId).toBeTruthy();
    const health = await app.caller().system.health();
    expect(health.status).toBe("degraded");

    proxy.restore();
    await expect.poll(readyz, { timeout: 20_000, interval: 250 }).toEqual({ code: 200, status: "ready", events: "up" });
  }, 60_000);
});
