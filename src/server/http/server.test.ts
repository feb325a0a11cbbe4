import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../testing/app.js";

/** What a client sees over HTTP when it sends something wrong: typed errors, never a 500. */
describe("HTTP surface (embedded)", () => {
  let app: TestApp;
  const inject = (options: InjectOptions) => {
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    return http.inject(options);
  };

  beforeAll(async () => {
    app = await createTestApp("embedded");
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers malformed JSON with a 400 and a clear message", async () => {
    const response = await inject({
      method: "POST",
      url: "/trpc/auth.login",
      headers: { "content-type": "application/json" },
      payload: '{"json": {"email": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it("refuses a multipart body over the body limit with 413, before buffering it", async () => {
    const boundary = "gantry-boundary";
    const filler = "x".repeat(2 * 1024 * 1024);
    const payload = `--${boundary}\r\ncontent-disposition: form-data; name="email"\r\n\r\n${filler}\r\n--${boundary}--\r\n`;
    const response = await inject({
      method: "POST",
      url: "/trpc/auth.login",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.json.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(response.json().error.json.message).toBe("The request is too large.");
  });

  it("answers an unknown procedure with 404 NOT_FOUND", async () => {
    const response = await inject({ method: "GET", url: "/trpc/nothing.here" });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.json.data.code).toBe("NOT_FOUND");
  });

  it("answers a wrongly typed input with 400 and errors per field", async () => {
    const response = await inject({
      method: "POST",
      url: "/trpc/auth.signup",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ json: { email: 42, password: "short", name: "" } }),
    });
    expect(response.statusCode).toBe(400);
    const error = response.json().error.json;
    expect(error.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(error.data.fieldErrors).sort()).toEqual(["email", "name", "password"]);
    expect(error.data.fieldErrors.password[0]).toBe("Use at least 8 characters");
    expect(JSON.stringify(error)).not.toMatch(/stack|\.ts:\d+/);
  });

  it("answers an unknown page route with the client (SPA) or a JSON 404 for API paths", async () => {
    const api = await inject({ method: "GET", url: "/api/nope", headers: { accept: "application/json" } });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe("NOT_FOUND");
  });

  it("reports liveness, readiness of each dependency and Prometheus metrics", async () => {
    expect((await inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    const ready = await inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().dependencies.map((d: { name: string; status: string }) => `${d.name}:${d.status}`)).toEqual([
      "database:up",
      "cache:up",
      "events:up",
      "queue:up",
    ]);

    await inject({ method: "GET", url: "/trpc/system.health" });
    const metrics = await inject({ method: "GET", url: "/metrics" });
    expect(metrics.headers["content-type"]).toMatch(/text\/plain/);
    expect(metrics.body).toMatch(/gantry_trpc_requests_total\{path="system.health",type="query",code="OK"\} [1-9]/);
    expect(metrics.body).toMatch(/gantry_trpc_request_duration_seconds_bucket\{[^}]*path="system.health"/);
    expect(metrics.body).toMatch(/gantry_outbox_backlog \d+/);
    expect(metrics.body).toMatch(/gantry_queue_jobs\{state="waiting"\} \d+/);
  });

  it("tags every response with a request id and sends security headers", async () => {
    const response = await inject({ method: "GET", url: "/healthz", headers: { "x-request-id": "abc-123" } });
    expect(response.headers["x-request-id"]).toBe("abc-123");
    const forged = await inject({
      method: "GET",
      url: "/healthz",
      headers: { "x-request-id": "bad id\nwith newline" },
    });
    expect(forged.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["content-security-policy"]).toContain("script-src 'self'");
  });

  it("serves system.health over tRPC with mode, version and dependencies", async () => {
    const health = await app.caller().system.health();
    expect(health).toMatchObject({ mode: "embedded", status: "up" });
    expect(health.dependencies.map((d) => d.adapter)).toEqual(["pglite", "memory", "in-process", "in-process"]);
  });

  it("streams the server time once a second on system.onTick", async () => {
    const ticks = await app.caller().system.onTick();
    const seen: Date[] = [];
    for await (const tick of ticks) {
      seen.push(tick.now);
      if (seen.length === 2) break;
    }
    const [first, second] = seen as [Date, Date];
    expect(second.getTime() - first.getTime()).toBeGreaterThanOrEqual(900);
  });

  it("keeps /metrics to the holder of METRICS_TOKEN when one is set", async () => {
    const guarded = await createTestApp("embedded", { METRICS_TOKEN: "a-long-metrics-token" });
    try {
      const http = guarded.gantry.http;
      if (!http) throw new Error("no http server");
      expect((await http.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
      const wrong = { authorization: "Bearer not-the-token-at-all" };
      expect((await http.inject({ method: "GET", url: "/metrics", headers: wrong })).statusCode).toBe(401);
      const right = { authorization: "Bearer a-long-metrics-token" };
      const scrape = await http.inject({ method: "GET", url: "/metrics", headers: right });
      expect(scrape.statusCode).toBe(200);
      expect(scrape.body).toMatch(/gantry_outbox_backlog/);
    } finally {
      await guarded.close();
    }
  });
});
