import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailsTo as allMailsTo } from "../../testing/account.js";
import { createTestApp, type TestApp } from "../../testing/app.js";
import { drainJobs } from "../../testing/jobs.js";
import { waitFor } from "../../testing/payments.js";
import { expectSignedIn } from "../../testing/sign-in.js";

/** Nothing a stranger can see tells whether an email has an account: answers, codes or timing. */

const PASSWORD = "a perfectly fine passphrase";
const ADMIN = { email: "admin@enumeration.test", password: "admin passphrase for enumeration" };

let lastOctet = 0;
const freshIp = () => `10.1.${Math.floor(++lastOctet / 250)}.${lastOctet % 250}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

describe("account enumeration", () => {
  let app: TestApp;

  function post(path: string, input: unknown) {
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    return http.inject({
      method: "POST",
      url: `/trpc/${path}`,
      remoteAddress: freshIp(),
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ json: input }),
    });
  }

  /** Reset mails only: a new account also gets a verification mail (services/account). */
  async function mailsTo(email: string): Promise<string[]> {
    const mails = await allMailsTo(app, email);
    return mails.filter((mail) => mail.subject === "Reset your Gantry password").map((mail) => mail.text);
  }

  beforeAll(async () => {
    app = await createTestApp("embedded", {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers an unknown email exactly as a wrong password", async () => {
    const { email } = await app.signup();
    const unknown = await post("auth.login", { email: "no-such-person@enumeration.test", password: PASSWORD });
    const wrong = await post("auth.login", { email, password: "not the password" });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(unknown.statusCode);
    expect(wrong.json()).toEqual(unknown.json());
    expect(unknown.json().error.json.message).toBe("Incorrect email or password.");

    const viaCaller = async (input: { email: string; password: string }) =>
      app
        .caller({ ip: freshIp() })
        .auth.login(input)
        .then(
          () => "signed in",
          (error: { code: string; message: string }) => `${error.code}: ${error.message}`,
        );
    expect(await viaCaller({ email, password: "not the password" })).toBe(
      await viaCaller({ email: "nobody-else@enumeration.test", password: "not the password" }),
    );
  });

  it("answers a wrong password on a disabled account as on an unknown email", async () => {
    const target = await app.signup();
    const admin = expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken;
    await app.caller({ token: admin }).users.setDisabled({ userId: target.userId, disabled: true });
    const disabled = await post("auth.login", { email: target.email, password: "not the password" });
    const unknown = await post("auth.login", { email: "ghost@enumeration.test", password: "not the password" });
    expect(disabled.json()).toEqual(unknown.json());
  });

  it("answers a password reset request the same for known and unknown emails", async () => {
    const { email } = await app.signup();
    const known = await post("auth.requestPasswordReset", { email });
    const unknown = await post("auth.requestPasswordReset", { email: "stranger@enumeration.test" });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    expect(known.json()).toEqual(unknown.json());
    // The known address really got a mail (sent by a job); the unknown one did not.
    await drainJobs(app.gantry.deps.queue);
    expect(await mailsTo(email)).toHaveLength(1);
    expect(await mailsTo("stranger@enumeration.test")).toHaveLength(0);
  });

  it("takes about as long for an unknown email as for a wrong password (argon2 runs in both cases)", async () => {
    const warmup = await app.signup();
    const target = await app.signup();
    const timed = async (email: string) => {
      const started = performance.now();
      const outcome = await app
        .caller({ ip: freshIp() })
        .auth.login({ email, password: "not the password" })
        .then(
          () => "OK",
          (error: { code: string }) => error.code,
        );
      return { ms: performance.now() - started, outcome };
    };
    // Warm both paths (the decoy hash is computed on first use).
    await timed(warmup.email);
    await timed("warmup-unknown@enumeration.test");

    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const a = await timed(`unknown-${i}@enumeration.test`);
      const b = await timed(target.email);
      expect([a.outcome, b.outcome]).toEqual(["UNAUTHORIZED", "UNAUTHORIZED"]);
      unknown.push(a.ms);
      wrong.push(b.ms);
    }
    expect(median(unknown)).toBeGreaterThanOrEqual(0.5 * median(wrong));
  });

  // Before the work moved into a job, a known email waited for the reset transaction and the
  // mail (25-80 ms) while an unknown one answered in ~2 ms: the time told who has an account.
  it("takes about as long to answer a password reset request for a known email as for an unknown one", async () => {
    const { email } = await app.signup();
    // Let the new account's verification mail (a consumer, then a job) go out first, so that
    // it does not run during the first measurements.
    await waitFor(async () => (await allMailsTo(app, email)).length > 0, "the verification mail");
    await drainJobs(app.gantry.deps.queue);
    const timed = async (address: string) => {
      const started = performance.now();
      expect((await post("auth.requestPasswordReset", { email: address })).statusCode).toBe(200);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      known.push(await timed(email));
      unknown.push(await timed("nobody-here@enumeration.test"));
      await drainJobs(app.gantry.deps.queue);
    }
    expect(median(known)).toBeLessThanOrEqual(2 * median(unknown) + 5);
  });
});
