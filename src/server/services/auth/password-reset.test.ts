import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordResets } from "../../db/schema/index.js";
import { createTestApp, type TestApp } from "../../testing/app.js";
import { drainJobs } from "../../testing/jobs.js";
import { expectSignedIn } from "../../testing/sign-in.js";

/**
 * The whole reset journey as a user lives it: the link arrives by mail (the embedded
 * FileMailer writes it under DATA_DIR/mail), works once, expires, and ends old sessions.
 */

const PASSWORD = "a perfectly fine passphrase";
const NEW_PASSWORD = "a freshly reset passphrase";

describe("password reset", () => {
  let app: TestApp;

  /** The token of the newest reset mail sent to `email`. */
  async function tokenFromMail(email: string): Promise<string> {
    const dir = join(app.gantry.deps.config.dataDir, "mail");
    // Reset mails only: a new account also gets a verification mail (services/account).
    const files = [];
    for (const file of (await readdir(dir)).filter((f) => f.endsWith(`-${email}.eml`)).sort()) {
      if ((await readFile(join(dir, file), "utf8")).includes("Subject: Reset your Gantry password")) files.push(file);
    }
    const newest = files.at(-1);
    if (!newest) throw new Error(`no mail to ${email}`);
    const mail = await readFile(join(dir, newest), "utf8");
    expect(mail).toContain(`To: ${email}`);
    expect(mail).toContain("Subject: Reset your Gantry password");
    const token = mail.match(/\/reset-password#token=([^\s]+)/)?.[1];
    if (!token) throw new Error(`no reset link in the mail to ${email}`);
    return decodeURIComponent(token);
  }

  async function requestReset(email: string): Promise<string> {
    await app.caller().auth.requestPasswordReset({ email });
    // The mail is sent by a job, so the request answers in the same time for unknown emails.
    await drainJobs(app.gantry.deps.queue);
    return tokenFromMail(email);
  }

  const reset = (token: string, newPassword = NEW_PASSWORD) => app.caller().auth.resetPassword({ token, newPassword });
  const login = async (email: string, password: string) =>
    expectSignedIn(await app.caller().auth.login({ email, password }));

  /** BAD_REQUEST naming the `token` field, as the reset page shows it. */
  async function expectTokenRefused(call: Promise<unknown>): Promise<void> {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "TRPCError", code: "BAD_REQUEST" });
    const fields = (error as { cause?: { details?: { fieldErrors?: Record<string, string[]> } } }).cause?.details
      ?.fieldErrors;
    expect(Object.keys(fields ?? {})).toEqual(["token"]);
    expect(fields?.token?.[0]).toMatch(/invalid or has expired/);
  }

  beforeAll(async () => {
    app = await createTestApp("embedded");
  });
  afterAll(async () => {
    await app?.close();
  });

  it("sends a link whose token sets a new password once; the old password stops working", async () => {
    const { email } = await app.signup();
    const token = await requestReset(email);
    expect(token.length).toBeGreaterThanOrEqual(40);
    // Just after a second starts, so the sign-in below falls in the same second as the reset.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    await expect(reset(token)).resolves.toEqual({ ok: true });

    await expect(login(email, PASSWORD)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const signedIn = await login(email, NEW_PASSWORD);
    // The fresh session works at once, even within the second of the reset.
    await expect(app.caller({ token: signedIn.accessToken }).auth.sessions()).resolves.toHaveLength(1);
  });

  it("refuses a token used a second time, on the token field", async () => {
    const { email } = await app.signup();
    const token = await requestReset(email);
    await reset(token);
    await expectTokenRefused(reset(token, "yet another passphrase"));
    // The second attempt changed nothing.
    await expect(login(email, NEW_PASSWORD)).resolves.toMatchObject({ user: { email } });
  });

  it("refuses an expired token", async () => {
    const { email, userId } = await app.signup();
    const token = await requestReset(email);
    await app.gantry.deps.database.db
      .update(passwordResets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResets.userId, userId));
    await expectTokenRefused(reset(token));
    await expect(login(email, PASSWORD)).resolves.toMatchObject({ user: { email } });
  });

  it("refuses a token that was never issued", async () => {
    await expectTokenRefused(reset("x".repeat(43)));
  });

  it("ends every session of the account", async () => {
    const { email, token: firstSession } = await app.signup();
    const secondSession = (await login(email, PASSWORD)).accessToken;
    await reset(await requestReset(email));
    for (const token of [firstSession, secondSession]) {
      await expect(app.caller({ token }).auth.sessions()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
  });

  it("makes an earlier link worthless when a new one is requested", async () => {
    const { email } = await app.signup();
    const first = await requestReset(email);
    const second = await requestReset(email);
    expect(second).not.toBe(first);
    await expectTokenRefused(reset(first));
    await expect(reset(second)).resolves.toEqual({ ok: true });
  });

  it("refuses a common password and keeps the link usable for a better one", async () => {
    const { email } = await app.signup();
    const token = await requestReset(email);
    const refused = await reset(token, "password123").catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: "TRPCError", code: "BAD_REQUEST" });
    expect((refused as { cause?: { details?: unknown } }).cause?.details).toEqual({
      fieldErrors: { newPassword: ["This password is too common; choose another"] },
    });
    await expect(login(email, PASSWORD)).resolves.toMatchObject({ user: { email } });
    await expect(reset(token)).resolves.toEqual({ ok: true });
  });

  it("sends at most three links an hour to one address, answering every request the same", async () => {
    const { email } = await app.signup();
    const dir = join(app.gantry.deps.config.dataDir, "mail");
    for (let i = 0; i < 5; i += 1) {
      await expect(app.caller().auth.requestPasswordReset({ email })).resolves.toEqual({ ok: true });
    }
    await drainJobs(app.gantry.deps.queue);
    const mails = (await readdir(dir)).filter((file) => file.endsWith(`-${email}.eml`));
    const resets = [];
    for (const file of mails) {
      if ((await readFile(join(dir, file), "utf8")).includes("Subject: Reset your Gantry password")) resets.push(file);
    }
    expect(resets).toHaveLength(3);
  });
});
