import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../testing/app.js";

/**
 * Text a user can type but PostgreSQL cannot store (NUL, lone surrogates), and list filters
 * a column cannot hold, are the user's mistake: a 400 naming the field, with nothing
 * changed, never a 500.
 */
describe("bad input over HTTP (embedded)", () => {
  let app: TestApp;
  let token: string;
  const queries = new Set(["payments.list", "pipelines.preview", "users.list", "audit.list", "pipelines.runs"]);
  const call = async (path: string, input: unknown, auth = token) => {
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    const body = JSON.stringify({ json: input });
    const headers = { "content-type": "application/json", authorization: `Bearer ${auth}` };
    const options: InjectOptions = queries.has(path)
      ? { method: "GET", url: `/trpc/${path}?input=${encodeURIComponent(body)}`, headers }
      : { method: "POST", url: `/trpc/${path}`, headers, payload: body };
    const response = await http.inject(options);
    return { status: response.statusCode, error: response.json().error?.json, body: response.body };
  };

  beforeAll(async () => {
    app = await createTestApp("embedded");
    token = (await app.signup({ name: "Before" })).token;
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ["a NUL", "Ann\u0000Lee"],
    ["a lone high surrogate", "Ann\uD800Lee"],
    ["a lone low surrogate", "Ann\uDC00"],
    ["an escape character", "Ann\u001b[31m"],
  ])("refuses a profile name with %s, naming the field, and keeps the old name", async (_what, name) => {
    const { status, error } = await call("users.updateProfile", { name });
    expect(status).toBe(400);
    expect(error.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(error.data.fieldErrors)).toEqual(["name"]);
    expect((await app.caller({ token }).auth.me())?.name).toBe("Before");
  });

  it("refuses a NUL in a sign-up name", async () => {
    const { status, error } = await call(
      "auth.signup",
      { email: "nul-signup@gantry.test", password: "a perfectly fine passphrase", name: "N\u0000" },
      "",
    );
    expect(status).toBe(400);
    expect(Object.keys(error.data.fieldErrors)).toEqual(["name"]);
  });

  it("refuses a NUL in a payment description and creates no payment", async () => {
    const { status, error } = await call("payments.create", {
      amount: 500,
      currency: "USD",
      paymentMethod: "pm_card_visa",
      description: "coffee\u0000",
      idempotencyKey: "hostile-text-1",
    });
    expect(status).toBe(400);
    expect(Object.keys(error.data.fieldErrors)).toEqual(["description"]);
    expect((await app.caller({ token }).payments.list({})).total).toBe(0);
  });

  it("refuses a NUL in a list filter value", async () => {
    const { status, error } = await call("payments.list", {
      filter: [{ field: "provider", op: "contains", value: "x\u0000" }],
    });
    expect(status).toBe(400);
    expect(Object.keys(error.data.fieldErrors)).toEqual(["filter.0.value"]);
  });

  it("refuses a NUL in a pipeline name", async () => {
    const { status, error } = await call("pipelines.create", {
      name: "p\u0000",
      datasetId: "00000000-0000-4000-8000-000000000000",
      steps: [],
    });
    expect(status).toBe(400);
    expect(Object.keys(error.data.fieldErrors)).toEqual(["name"]);
  });

  it("keeps tabs and new lines where text may span lines (pipeline expressions)", async () => {
    const { status } = await call("pipelines.preview", {
      datasetId: "00000000-0000-4000-8000-000000000000",
      steps: [{ type: "derive", name: "x", expression: "1 +\n\t2" }],
    });
    expect(status).toBe(404);
  });

  it.each([
    ["a fractional amount", "amount", 1.5],
    ["an amount beyond any bigint", "amount", 1e300],
    ["a date beyond year 9999", "createdAt", "+275760-09-13T00:00:00Z"],
    ["a date before year 1", "createdAt", -8.64e15],
  ])("refuses %s in a list filter, naming the filter", async (_what, field, value) => {
    const { status, error } = await call("payments.list", { filter: [{ field, op: "gte", value }] });
    expect(status).toBe(400);
    expect(Object.keys(error.data.fieldErrors)).toEqual(["filter.0.value"]);
  });

  it("refuses a date out of range in a run list filter", async () => {
    const { status, error } = await call("pipelines.runs", {
      filter: [{ field: "finishedAt", op: "lt", value: "-271821-04-20T00:00:00Z" }],
    });
    expect(status).toBe(400);
    expect(Object.keys(error.data.fieldErrors)).toEqual(["filter.0.value"]);
  });
});
