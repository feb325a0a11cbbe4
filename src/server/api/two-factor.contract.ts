import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditListInput } from "../../shared/schemas/audit.js";
import type { AuthResult } from "../../shared/schemas/auth.js";
import type { SecondFactorChallenge } from "../../shared/schemas/two-factor.js";
import { totpCodeAt } from "../services/auth/totp.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { waitFor } from "../testing/events.js";
import { expectSignedIn } from "../testing/sign-in.js";
import { storedTwoFactor } from "../testing/two-factor.js";
import type { SessionCookie } from "../trpc/context.js";

const ADMIN = { email: "admin@two-factor.test", password: "admin passphrase for two-factor" };
const STEP_MS = 30_000;

async function failureOf(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
    return { code: "OK", message: "" };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { code: code ?? String(error), message };
  }
}
const codeOf = async (call: Promise<unknown>) => (await failureOf(call)).code;

function expectChallenge(result: AuthResult | SecondFactorChallenge): SecondFactorChallenge {
  if (!("secondFactorRequired" in result)) throw new Error("expected the sign-in to ask for a second factor");
  return result;
}

/** A cookie jar for one call: what the procedure set, if anything. */
function cookieRecorder(): SessionCookie & { value: string | undefined } {
  const jar = {
    value: undefined as string | undefined,
    set: (token: string) => {
      jar.value = token;
    },
    clear: () => {
      jar.value = undefined;
    },
  };
  return jar;
}

/**
 * Two-factor authentication through the tRPC procedures, on PGlite (two-factor.test.ts) and on
 * PostgreSQL, Redis and RabbitMQ (two-factor.int.test.ts): enrol, confirm, sign in with a code,
 * wrong and replayed codes, recovery codes, turning it off, rate limits, the admin rule, and
 * the events in the audit log.
 */
export function twoFactorContract(mode: "embedded" | "services"): void {
  describe(`two-factor authentication (${mode === "embedded" ? "PGlite" : "PostgreSQL"})`, () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await createTestApp(mode, {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        REQUIRE_ADMIN_TWO_FACTOR: "true",
      });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
    });

    /** A fresh user with two-factor on: its secret (as typed from the page) and recovery codes. */
    async function enrolled() {
      const account = await app.signup();
      const me = app.caller({ token: account.token }).auth.twoFactor;
      const enrolment = await me.begin();
      const secret = enrolment.manualKey.replaceAll(" ", "");
      const { recoveryCodes } = await me.confirm({ code: totpCodeAt(secret, Date.now()) });
      return { ...account, secret, recoveryCodes };
    }

    /** The password step, from an address of the test's choosing. */
    const passwordStep = async (account: { email: string; password: string }, ip = "10.20.0.1") =>
      expectChallenge(await app.caller({ ip }).auth.login({ email: account.email, password: account.password }));

    /** The code of the next 30-second step: the current one was spent by the enrolment. */
    const nextCode = (secret: string) => totpCodeAt(secret, Date.now() + STEP_MS);

    it("enrols with a QR code and a typed key, and turns on only when a code confirms it", async () => {
      const account = await app.signup();
      const me = app.caller({ token: account.token }).auth.twoFactor;
      expect(await me.status()).toEqual({ enabled: false, recoveryCodesLeft: 0, required: false });

      const enrolment = await me.begin();
      expect(enrolment.manualKey).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
      const secret = enrolment.manualKey.replaceAll(" ", "");
      const uri = new URL(enrolment.otpauthUri);
      expect(uri.searchParams.get("secret")).toBe(secret);
      expect(decodeURIComponent(uri.pathname)).toContain(account.email);
      expect(enrolment.qrCodeDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
      const svg = Buffer.from(enrolment.qrCodeDataUrl.split(",")[1] ?? "", "base64").toString("utf8");
      expect(svg).toContain("<svg");

      // Begun but not confirmed: sign-in is still the password alone.
      expect(
        expectSignedIn(await app.caller().auth.login({ email: account.email, password: account.password })).user.id,
      ).toBe(account.userId);

      expect(await codeOf(me.confirm({ code: totpCodeAt(secret, Date.now() - 5 * STEP_MS) }))).toBe("BAD_REQUEST");
      expect(await codeOf(me.confirm({ code: "12345" }))).toBe("BAD_REQUEST");
      expect((await me.status()).enabled).toBe(false);

      const { recoveryCodes } = await me.confirm({ code: totpCodeAt(secret, Date.now()) });
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      expect(await me.status()).toEqual({ enabled: true, recoveryCodesLeft: 10, required: false });
      expect(await codeOf(me.begin())).toBe("CONFLICT");

      // At rest: the secret is encrypted, the recovery codes are hashes.
      const stored = await storedTwoFactor(app, account.userId);
      expect(stored.secretCiphertext).toMatch(/^v1\./);
      expect(stored.secretCiphertext).not.toContain(secret);
      expect(stored.codeHashes).toHaveLength(10);
      for (const code of recoveryCodes) {
        const bare = code.replaceAll("-", "");
        expect(stored.codeHashes.some((hash) => hash.includes(bare) || hash.includes(code))).toBe(false);
      }
    });

    it("asks for a code after the password, opens no session until one is given, and refuses a wrong or replayed code", async () => {
      const account = await enrolled();
      const cookie = cookieRecorder();
      const challenge = expectChallenge(
        await app.caller({ cookie }).auth.login({ email: account.email, password: account.password }),
      );
      expect(challenge.challenge.length).toBeGreaterThanOrEqual(40);
      expect(challenge.challengeExpiresAt.getTime()).toBeGreaterThan(Date.now());
      expect(challenge).not.toHaveProperty("accessToken");
      expect(cookie.value).toBeUndefined();
      // The challenge is not a session.
      expect(await codeOf(app.caller({ token: challenge.challenge }).auth.sessions())).toBe("UNAUTHORIZED");

      const wrong = await failureOf(
        app.caller().auth.twoFactor.completeLogin({ challenge: challenge.challenge, code: "000000" }),
      );
      expect(wrong.code).toBe("UNAUTHORIZED");
      expect(wrong.message).toContain("code is not right");

      const code = nextCode(account.secret);
      const signedIn = await app
        .caller({ cookie })
        .auth.twoFactor.completeLogin({ challenge: challenge.challenge, code });
      expect(signedIn.user.id).toBe(account.userId);
      expect(cookie.value).toBe(signedIn.accessToken);
      expect(await app.caller({ token: signedIn.accessToken }).auth.sessions()).toHaveLength(2);

      // The challenge was single-use, and so was the code: a fresh challenge refuses it.
      expect(await codeOf(app.caller().auth.twoFactor.completeLogin({ challenge: challenge.challenge, code }))).toBe(
        "UNAUTHORIZED",
      );
      const again = await passwordStep(account);
      const replay = await failureOf(app.caller().auth.twoFactor.completeLogin({ challenge: again.challenge, code }));
      expect(replay.code).toBe("UNAUTHORIZED");
      expect(await codeOf(app.caller().auth.twoFactor.completeLogin({ challenge: "x".repeat(43), code }))).toBe(
        "UNAUTHORIZED",
      );
      expect(await app.caller({ token: account.token }).auth.sessions()).toHaveLength(2);
    });

    it("takes each recovery code once", async () => {
      const account = await enrolled();
      const [recovery = ""] = account.recoveryCodes;
      const first = await passwordStep(account);
      // Typed back in upper case with spaces: still the same code.
      const typed = recovery.toUpperCase().replaceAll("-", " ");
      const signedIn = await app.caller().auth.twoFactor.completeLogin({ challenge: first.challenge, code: typed });
      expect(signedIn.user.id).toBe(account.userId);
      expect((await app.caller({ token: signedIn.accessToken }).auth.twoFactor.status()).recoveryCodesLeft).toBe(9);

      const second = await passwordStep(account);
      expect(
        await codeOf(app.caller().auth.twoFactor.completeLogin({ challenge: second.challenge, code: recovery })),
      ).toBe("UNAUTHORIZED");
      // Another of the ten still works on the same challenge.
      const other = account.recoveryCodes[1] ?? "";
      await expect(
        app.caller().auth.twoFactor.completeLogin({ challenge: second.challenge, code: other }),
      ).resolves.toMatchObject({ user: { id: account.userId } });
    });

    it("turns off only with the password and a code, and sign-in is the password alone again", async () => {
      const account = await enrolled();
      const me = app.caller({ token: account.token }).auth.twoFactor;
      const recovery = account.recoveryCodes[0] ?? "";
      expect(await codeOf(me.disable({ password: "not the password", code: recovery }))).toBe("BAD_REQUEST");
      expect(await codeOf(me.disable({ password: account.password, code: "000000" }))).toBe("BAD_REQUEST");
      expect(await codeOf(me.disable({ password: account.password, code: "" }))).toBe("BAD_REQUEST");
      expect((await me.status()).enabled).toBe(true);

      await me.disable({ password: account.password, code: nextCode(account.secret) });
      expect(await me.status()).toEqual({ enabled: false, recoveryCodesLeft: 0, required: false });
      const plain = expectSignedIn(await app.caller().auth.login({ email: account.email, password: account.password }));
      expect(plain.user.id).toBe(account.userId);
      expect(await codeOf(me.disable({ password: account.password, code: recovery }))).toBe("CONFLICT");
    });

    it("limits wrong codes like wrong passwords: per address, and a challenge dies after five", async () => {
      const account = await enrolled();
      const challenge = await passwordStep(account, "10.20.1.1");
      for (let i = 0; i < 5; i++) {
        const wrong = app.caller({ ip: "10.20.1.1" }).auth.twoFactor.completeLogin({
          challenge: challenge.challenge,
          code: String(100000 + i),
        });
        expect(await codeOf(wrong)).toBe("UNAUTHORIZED");
      }
      // Five wrong codes: this challenge is void, even with the right code.
      const good = nextCode(account.secret);
      expect(
        await codeOf(
          app.caller({ ip: "10.20.1.2" }).auth.twoFactor.completeLogin({ challenge: challenge.challenge, code: good }),
        ),
      ).toBe("UNAUTHORIZED");
      // And this address has used its guesses at this account: a new challenge from it is refused too.
      const fresh = await passwordStep(account, "10.20.1.1");
      const limited = await failureOf(
        app.caller({ ip: "10.20.1.1" }).auth.twoFactor.completeLogin({ challenge: fresh.challenge, code: good }),
      );
      expect(limited.code).toBe("TOO_MANY_REQUESTS");
      // The owner elsewhere still gets in.
      const elsewhere = await app
        .caller({ ip: "10.20.1.3" })
        .auth.twoFactor.completeLogin({ challenge: fresh.challenge, code: good });
      expect(elsewhere.user.id).toBe(account.userId);
    });

    it("limits password guesses through disable too", async () => {
      const account = await enrolled();
      const me = app.caller({ token: account.token, ip: "10.20.2.1" }).auth.twoFactor;
      for (let i = 0; i < 5; i++) {
        expect(await codeOf(me.disable({ password: `guess number ${i}`, code: "000000" }))).toBe("BAD_REQUEST");
      }
      expect(await codeOf(me.disable({ password: account.password, code: nextCode(account.secret) }))).toBe(
        "TOO_MANY_REQUESTS",
      );
      expect((await me.status()).enabled).toBe(true);
    });

    it("keeps an admin without a second factor out of admin procedures until they enrol", async () => {
      const token = expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken;
      const admin = app.caller({ token });
      expect((await admin.auth.twoFactor.status()).required).toBe(true);
      const refused = await failureOf(admin.users.list({}));
      expect(refused.code).toBe("FORBIDDEN");
      expect(refused.message).toContain("two-factor authentication");
      expect(await codeOf(admin.audit.list({}))).toBe("FORBIDDEN");
      // What every user may do still works.
      expect((await admin.auth.me())?.role).toBe("admin");

      const enrolment = await admin.auth.twoFactor.begin();
      const secret = enrolment.manualKey.replaceAll(" ", "");
      await admin.auth.twoFactor.confirm({ code: totpCodeAt(secret, Date.now()) });
      expect(await codeOf(admin.users.list({}))).toBe("OK");
      // From now on the admin's sign-in asks for a code too.
      expectChallenge(await app.caller().auth.login(ADMIN));
    });

    it("records enabling, disabling and recovery-code use in the audit log", async () => {
      const account = await enrolled();
      const challenge = await passwordStep(account, "10.20.3.1");
      await app.caller({ ip: "10.20.3.1" }).auth.twoFactor.completeLogin({
        challenge: challenge.challenge,
        code: account.recoveryCodes[0] ?? "",
      });
      await app
        .caller({ token: account.token })
        .auth.twoFactor.disable({ password: account.password, code: account.recoveryCodes[1] ?? "" });

      const audit = async () => {
        const query = auditListInput.parse({
          pageSize: 100,
          filter: [{ field: "actorId", op: "eq", value: account.userId }],
        });
        const page = await app.gantry.deps.audit.list(query);
        return page.items;
      };
      await waitFor(async () => (await audit()).some((e) => e.type === "auth.two_factor_disabled"), "the audit log");
      const entries = await audit();
      const types = entries.map((entry) => entry.type);
      expect(types).toEqual(
        expect.arrayContaining([
          "auth.two_factor_enabled",
          "auth.two_factor_recovery_code_used",
          "auth.two_factor_disabled",
        ]),
      );
      // One recovery code opened the sign-in, another turned two-factor off.
      const used = entries.filter((entry) => entry.type === "auth.two_factor_recovery_code_used");
      expect(used.map((entry) => (entry.payload as { remaining: number }).remaining).sort()).toEqual([8, 9]);
    });
  });
}
