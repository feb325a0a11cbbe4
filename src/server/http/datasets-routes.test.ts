import { randomUUID } from "node:crypto";
import { readdir } from "node:fs/promises";
import { type AddressInfo, connect } from "node:net";
import { join } from "node:path";
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

/**
 * Each upload in flight may write up to its user's remaining quota before the exact check at
 * the end; UPLOADS_MAX_CONCURRENT_PER_USER keeps one account from running hundreds at once.
 */
describe("data set HTTP routes: uploads in flight per user", () => {
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    app = await createTestApp("embedded", { UPLOADS_MAX_CONCURRENT_PER_USER: "2" });
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    port = (http.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
  });

  const uploadFiles = async () => readdir(join(app.gantry.deps.config.dataDir, "uploads")).catch(() => [] as string[]);

  async function until(what: string, done: () => Promise<boolean> | boolean): Promise<void> {
    for (let i = 0; i < 100; i += 1) {
      if (await done()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  /** An upload whose body stops after its first line, until `finish` sends the rest. */
  function stalledUpload(token: string) {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString();
    });
    socket.on("error", () => {});
    const first = "a,b\n1,2\n";
    const rest = "3,4\n";
    socket.write(
      `POST /api/datasets?name=stalled HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: text/csv\r\nContent-Length: ${first.length + rest.length}\r\n\r\n${first}`,
    );
    return {
      received: () => received,
      finish: () => socket.write(rest),
      abandon: () => socket.destroy(),
    };
  }

  const upload = (token: string) =>
    app.gantry.http?.inject({
      method: "POST",
      url: "/api/datasets?name=quick",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
      payload: "a,b\n1,2\n",
    });

  it("refuses a third upload in flight with 429 naming the setting, deletes nothing, and frees the place", async () => {
    const { token } = await app.signup();
    const stalled = [stalledUpload(token), stalledUpload(token)];
    try {
      // Both are streaming to their files under DATA_DIR/uploads.
      await until("two uploads in flight", async () => (await uploadFiles()).length === 2);

      const refused = await upload(token);
      expect(refused?.statusCode).toBe(429);
      expect(refused?.headers.connection).toBe("close");
      expect(Number(refused?.headers["retry-after"])).toBeGreaterThan(0);
      const { error } = refused?.json<{ error: { code: string; message: string } }>() ?? { error: undefined };
      expect(error?.code).toBe("TOO_MANY_REQUESTS");
      expect(error?.message).toContain("UPLOADS_MAX_CONCURRENT_PER_USER=2");
      // The refusal touched neither upload in flight.
      expect(await uploadFiles()).toHaveLength(2);

      // Another account is not held up by this one.
      const { token: other } = await app.signup();
      expect((await upload(other))?.statusCode).toBe(202);

      // Once one of the two finishes, its place is free again.
      stalled[0]?.finish();
      await until("the finished upload's answer", () => (stalled[0]?.received() ?? "").includes("importId"));
      expect(stalled[0]?.received()).toMatch(/^HTTP\/1\.1 202/);
      expect((await upload(token))?.statusCode).toBe(202);
    } finally {
      for (const s of stalled) s.abandon();
    }
  });
});
