import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/app.js";
import { testServiceUrls } from "../../testing/services.js";
import { expectSignedIn } from "../../testing/sign-in.js";
import { TcpProxy, viaProxy } from "../../testing/tcp-proxy.js";

/**
 * Logging out, disabling a user or demoting an admin while Redis is unreachable: the change
 * commits in PostgreSQL, the live copies in Redis cannot be dropped, and the session-sync
 * consumer gives up after its retries. When Redis comes back, still holding those copies,
 * the revocation must win: no request with the old token may get through.
 */

const ADMIN = { email: "admin@outage.test", password: "admin passphrase for outages" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe("revocations made while Redis is unreachable", () => {
  const proxy = new TcpProxy("127.0.0.1", Number(new URL(testServiceUrls.redis).port || 6379));
  const redis = new Redis(testServiceUrls.redis, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let app: TestApp;

  const liveCopies = async () => (await redis.keys(`${app.gantry.deps.config.namespace}:session:*`)).length;

  beforeAll(async () => {
    const port = await proxy.start();
    await redis.connect();
    app = await createTestApp("services", {
      REDIS_URL: viaProxy(testServiceUrls.redis, port),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
  });
  afterAll(async () => {
    proxy.restore();
    await app?.close();
    await proxy.stop();
    redis.disconnect();
  });

  async function revokeDuringOutage(outageMs: number): Promise<void> {
    const admin = app.caller({
      token: expectSignedIn(await app.caller({ ip: "10.7.0.1" }).auth.login(ADMIN)).accessToken,
    });
    const leaving = await app.signup();
    const disabled = await app.signup();
    const demoted = await app.signup();
    await admin.users.setRole({ userId: demoted.userId, role: "admin" });

    const probes = {
      leaving: () => app.caller({ token: leaving.token }).auth.sessions(),
      disabled: () => app.caller({ token: disabled.token }).auth.sessions(),
      demoted: () => app.caller({ token: demoted.token }).users.list({}),
    };
    // Every session is in use, so Redis holds a live copy of each (the admin's too).
    const before = async () => Promise.all(Object.values(probes).map((probe) => codeOf(probe())));
    const deadline = Date.now() + 10_000;
    while ((await liveCopies()) < 4 && Date.now() < deadline) {
      expect(await before()).toEqual(["OK", "OK", "OK"]);
      await sleep(100);
    }
    expect(await liveCopies()).toBeGreaterThanOrEqual(4);

    proxy.cut();
    await app.caller({ token: leaving.token }).auth.logout();
    await admin.users.setDisabled({ userId: disabled.userId, disabled: true });
    await admin.users.setRole({ userId: demoted.userId, role: "user" });
    expect(await codeOf(probes.leaving())).toBe("UNAUTHORIZED");
    expect(await codeOf(probes.disabled())).toBe("UNAUTHORIZED");
    expect(await codeOf(probes.demoted())).toBe("FORBIDDEN");
    await sleep(outageMs);
    proxy.restore();

    // Long enough for the clients to reconnect (their backoff is capped at 2 s) and then some.
    const seen: Record<keyof typeof probes, Set<string>> = {
      leaving: new Set(),
      disabled: new Set(),
      demoted: new Set(),
    };
    const until = Date.now() + 6_000;
    while (Date.now() < until) {
      for (const [name, probe] of Object.entries(probes)) {
        seen[name as keyof typeof probes].add(await codeOf(probe()));
      }
      await sleep(100);
    }
    expect([...seen.leaving]).toEqual(["UNAUTHORIZED"]);
    expect([...seen.disabled]).toEqual(["UNAUTHORIZED"]);
    expect([...seen.demoted]).toEqual(["FORBIDDEN"]);
    // Redis is in use again: the admin's session still works, through a fresh live copy.
    expect(await codeOf(admin.users.list({}))).toBe("OK");
  }

  it("stay enforced once Redis is back, even after the sync consumer gave up", async () => {
    // Longer than the session-sync consumer's 5 attempts, one second apart.
    await revokeDuringOutage(8_000);
  }, 40_000);

  it("stay enforced once Redis is back after a brief outage, while the sync consumer still retries", async () => {
    await revokeDuringOutage(1_500);
  }, 40_000);
});
