import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, type TestApp } from "../testing/app.js";

/**
 * Only messages we wrote for the caller leave the server. A parser's complaint, a stack
 * overflow or any other unexpected error's message stays in the log; the caller gets a
 * generic message and, for a bug, the request id to quote.
 */
describe("no internal messages reach clients (embedded)", () => {
  let app: TestApp;
  let token: string;
  const http = () => {
    if (!app.gantry.http) throw new Error("no http server");
    return app.gantry.http;
  };
  const INTERNAL = /Maximum call stack|deserialize|__proto__|Unexpected end|secret internal detail|at .*:\d+/i;

  beforeAll(async () => {
    app = await createTestApp("embedded");
    token = (await app.signup()).token;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await app?.close();
  });

  const deep = (depth: number) => {
    let value = "1";
    for (let i = 0; i < depth; i++) value = `{"a":${value}}`;
    return value;
  };

  it.each([
    ["a superjson meta nested 20 000 deep", `{"json":{"email":"a"},"meta":{"values":${deep(20_000)}}}`],
    ["a superjson meta naming an unknown class", `{"json":{"email":"a"},"meta":{"values":{"email":["class","X"]}}}`],
    ["a superjson meta naming __proto__", `{"json":{},"meta":{"values":{"__proto__":["set"]}}}`],
    ["truncated JSON", '{"json":'],
  ])("answers %s with a 400 and a message of ours", async (_what, payload) => {
    const response = await http().inject({
      method: "POST",
      url: "/trpc/auth.login",
      headers: { "content-type": "application/json" },
      payload,
    });
    expect(response.statusCode).toBe(400);
    const error = response.json().error.json;
    expect(error.data.code).toMatch(/^(BAD_REQUEST|PARSE_ERROR)$/);
    expect(error.message).not.toMatch(INTERNAL);
  });

  it("answers an unexpected error in a procedure with 'Internal error' and the request id, nothing more", async () => {
    vi.spyOn(app.gantry.deps.payments, "providers").mockImplementation(() => {
      throw new RangeError("Maximum call stack size exceeded (secret internal detail)");
    });
    const response = await http().inject({
      method: "GET",
      url: "/trpc/payments.providers",
      headers: { authorization: `Bearer ${token}`, "x-request-id": "req-internal-1" },
    });
    expect(response.statusCode).toBe(500);
    const error = response.json().error.json;
    expect(error.data.code).toBe("INTERNAL_SERVER_ERROR");
    expect(error.message).toBe("Internal error (request req-internal-1).");
    expect(error.data.requestId).toBe("req-internal-1");
    expect(response.body).not.toMatch(INTERNAL);
  });

  it("answers an unexpected error on a plain HTTP route the same way", async () => {
    vi.spyOn(app.gantry.deps.payments, "receiveWebhook").mockRejectedValue(new Error("secret internal detail"));
    const response = await http().inject({
      method: "POST",
      url: "/webhooks/payments/sandbox",
      headers: { "content-type": "application/json", "x-request-id": "req-internal-2" },
      payload: "{}",
    });
    expect(response.statusCode).toBe(500);
    expect(response.json().error).toEqual({
      code: "INTERNAL_SERVER_ERROR",
      message: "Internal error (request req-internal-2).",
      requestId: "req-internal-2",
    });
  });

  it("answers a plain route whose database is out of reach with a retryable 503", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    vi.spyOn(app.gantry.deps.payments, "receiveWebhook").mockRejectedValue(refused);
    const response = await http().inject({
      method: "POST",
      url: "/webhooks/payments/sandbox",
      headers: { "content-type": "application/json" },
      payload: "{}",
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers["retry-after"]).toMatch(/^\d+$/);
    expect(response.json().error).toMatchObject({ code: "SERVICE_UNAVAILABLE", retryAfterMs: expect.any(Number) });
    expect(response.body).not.toMatch(/ECONNREFUSED|5432/);
  });
});
