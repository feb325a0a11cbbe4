import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../testing/app.js";

/** The upload and export routes spend the same API budget (RATE_LIMIT_PER_MINUTE) as procedures. */
describe("data set HTTP routes: API rate limit", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp("embedded", { RATE_LIMIT_PER_MINUTE: "3" });
  });
  afterAll(async () => {
    await app?.close();
  });

  const http = () => {
    if (!app.gantry.http) throw new Error("no http server");
    return app.gantry.http;
  };
  const exportOf = (remoteAddress: string, token?: string) =>
    http().inject({
      method: "GET",
      url: `/api/datasets/${randomUUID()}/export.csv`,
      remoteAddress,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const upload = (remoteAddress: string, token?: string) =>
    http().inject({
      method: "POST",
      url: "/api/datasets?name=limited",
      remoteAddress,
      headers: { "content-type": "application/pdf", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: "%PDF-1.4",
    });

  it("refuses the 4th anonymous request in a minute from one address with 429 and Retry-After", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await exportOf("198.51.100.10")).statusCode);
    expect(statuses).toEqual([401, 401, 401]);
    const refused = await upload("198.51.100.10");
    expect(refused.statusCode).toBe(429);
    const error = refused.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    const seconds = Number(refused.headers["retry-after"]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(error.message).toBe(`Too many requests. Try again in ${seconds} seconds.`);
    expect((await exportOf("198.51.100.11")).statusCode).toBe(401);
  });

  it("counts a signed-in caller by account, sharing the budget with procedures", async () => {
    // Sign-up spends the budget of the address it comes from, not of the account.
    const { token } = await app.signup();
    await app.caller({ token, ip: "203.0.113.20" }).auth.me();
    expect((await exportOf("203.0.113.21", token)).statusCode).toBe(404);
    expect((await upload("203.0.113.22", token)).statusCode).toBe(415);
    expect((await exportOf("203.0.113.23", token)).statusCode).toBe(429);
    await expect(app.caller({ token, ip: "203.0.113.24" }).auth.me()).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
    });
    // The addresses were not charged for the account's requests.
    expect((await exportOf("203.0.113.23")).statusCode).toBe(401);
  });
});
