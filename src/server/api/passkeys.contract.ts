import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSKEYS_MAX_PER_USER } from "../../shared/schemas/passkeys.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { waitFor } from "../testing/events.js";
import { dropPassword, expireChallenges, linkSsoIdentity, storedPasskey } from "../testing/passkeys.js";
import { expectSignedIn } from "../testing/sign-in.js";
import { SoftwareAuthenticator } from "../testing/webauthn.js";

const ADMIN = { email: "admin@passkeys.test", password: "admin passphrase for passkeys" };

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

/**
 * Passkeys through the tRPC procedures, on PGlite (passkeys.test.ts) and on PostgreSQL, Redis
 * and RabbitMQ (passkeys.int.test.ts). A software authenticator makes real WebAuthn answers, so
 * SimpleWebAuthn's verification runs as it does for a browser.
 */
export function passkeysContract(mode: "embedded" | "services"): void {
  describe(`passkeys (${mode})`, () => {
    let app: TestApp;
    let origin: string;
    let ipCounter = 0;
    /** Each test signs in from its own address, so the per-address limit is tested on its own. */
    const freshIp = () => `10.9.0.${++ipCounter}`;

    beforeAll(async () => {
      app = await createTestApp(mode, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
      origin = app.gantry.deps.config.webauthn.origins[0] ?? "";
    }, 120_000);
    afterAll(async () => {
      await app?.close();
    });

    async function addPasskey(token: string, authenticator: SoftwareAuthenticator, name?: string) {
      const caller = app.caller({ token });
      const options = await caller.auth.passkeys.registrationOptions();
      return caller.auth.passkeys.register({ name, response: await authenticator.create(options) });
    }

    async function signInWith(authenticator: SoftwareAuthenticator, ip = freshIp()) {
      const caller = app.caller({ ip });
      const options = await caller.auth.passkeys.signInOptions();
      return caller.auth.passkeys.signIn({ response: await authenticator.get(options) });
    }

    it("adds several passkeys and signs in with one, no password, into a normal session", async () => {
      const owner = await app.signup({ name: "Pat Key" });
      const phone = new SoftwareAuthenticator(origin);
      const laptop = new SoftwareAuthenticator(origin);
      const options = await app.caller({ token: owner.token }).auth.passkeys.registrationOptions();
      // Discoverable credentials with user verification preferred, for this account.
      expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "preferred" });
      expect(options.rp.id).toBe(app.gantry.deps.config.webauthn.rpId);
      expect(options.user).toMatchObject({ name: owner.email, displayName: "Pat Key" });
      await app
        .caller({ token: owner.token })
        .auth.passkeys.register({ name: "Phone", response: await phone.create(options) });
      await addPasskey(owner.token, laptop);

      const listed = await app.caller({ token: owner.token }).auth.passkeys.list();
      expect(listed.map((passkey) => passkey.name)).toEqual(["Phone", "Passkey 2"]);
      expect(listed.every((passkey) => passkey.lastUsedAt === null)).toBe(true);
      // The second registration excluded the first credential so one device is not added twice.
      const third = await app.caller({ token: owner.token }).auth.passkeys.registrationOptions();
      expect(third.excludeCredentials?.map((c) => c.id).sort()).toEqual(
        [phone.credentials[0]?.id, laptop.credentials[0]?.id].sort(),
      );
      expect(await app.gantry.deps.passkeys.userHasPasskey(owner.userId)).toBe(true);

      const signedIn = await signInWith(phone);
      expect(signedIn.user).toMatchObject({ id: owner.userId, email: owner.email });
      const me = await app.caller({ token: signedIn.accessToken }).auth.me();
      expect(me?.id).toBe(owner.userId);
      // The session is one of the account's sessions like any other, and can be ended like one.
      const sessions = await app.caller({ token: owner.token }).auth.sessions();
      expect(sessions).toHaveLength(2);
      await app.caller({ token: signedIn.accessToken }).auth.logout();
      expect(await app.caller({ token: signedIn.accessToken }).auth.me()).toBeNull();

      const used = (await app.caller({ token: owner.token }).auth.passkeys.list()).find((p) => p.name === "Phone");
      expect(used?.lastUsedAt).toBeInstanceOf(Date);
      const row = await storedPasskey(app, phone.credentials[0]?.id ?? "");
      expect(row?.counter).toBe(1);
      expect(row?.transports).toEqual(["internal"]);
    });

    it("records added, removed and passkey sign-ins in the audit log", async () => {
      const owner = await app.signup();
      const key = new SoftwareAuthenticator(origin);
      const added = await addPasskey(owner.token, key, "Desk key");
      const session = await signInWith(key);
      await app.caller({ token: owner.token }).auth.passkeys.remove({ id: added.id });

      const admin = app.caller({ token: expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken });
      const entriesFor = async () =>
        (await admin.audit.list({ pageSize: 100, sort: { field: "occurredAt", direction: "asc" } })).items.filter(
          (entry) => (entry.payload as { userId?: string }).userId === owner.userId,
        );
      await waitFor(async () => {
        const types = new Set((await entriesFor()).map((entry) => entry.type));
        return types.has("auth.passkey_added") && types.has("auth.passkey_removed");
      }, "the passkey events in the audit log");
      const entries = await entriesFor();
      expect(entries.find((e) => e.type === "auth.passkey_added")?.payload).toEqual({
        userId: owner.userId,
        passkeyId: added.id,
        name: "Desk key",
      });
      expect(entries.find((e) => e.type === "auth.passkey_removed")?.payload).toMatchObject({ passkeyId: added.id });
      const signIns = entries.filter((e) => e.type === "user.logged_in").map((e) => e.payload);
      expect(signIns).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ method: "password" }),
          expect.objectContaining({ method: "passkey", sessionId: expect.any(String) }),
        ]),
      );
      const passkeySignIn = signIns.find((p) => (p as { method?: string }).method === "passkey") as {
        sessionId: string;
      };
      const me = await app.caller({ token: session.accessToken }).auth.sessions();
      expect(me.find((s) => s.current)?.id).toBe(passkeySignIn.sessionId);
    });

    it("renames and removes only one's own passkeys, with names checked", async () => {
      const owner = await app.signup();
      const other = await app.signup();
      const key = new SoftwareAuthenticator(origin);
      const passkey = await addPasskey(owner.token, key, "Old name");
      const mine = app.caller({ token: owner.token }).auth.passkeys;

      expect((await mine.rename({ id: passkey.id, name: "  Work laptop  " })).name).toBe("Work laptop");
      expect(await codeOf(mine.rename({ id: passkey.id, name: "x".repeat(65) }))).toBe("BAD_REQUEST");
      expect(await codeOf(mine.rename({ id: passkey.id, name: "   " }))).toBe("BAD_REQUEST");
      expect(await codeOf(mine.rename({ id: passkey.id, name: "bad\u0007name" }))).toBe("BAD_REQUEST");
      const theirs = app.caller({ token: other.token }).auth.passkeys;
      expect(await codeOf(theirs.rename({ id: passkey.id, name: "Mine now" }))).toBe("NOT_FOUND");
      expect(await codeOf(theirs.remove({ id: passkey.id }))).toBe("NOT_FOUND");
      expect(await theirs.list()).toEqual([]);
      expect((await mine.list()).map((p) => p.name)).toEqual(["Work laptop"]);

      // Removing the last passkey is fine while the account has a password; it then signs in no more.
      await mine.remove({ id: passkey.id });
      expect(await mine.list()).toEqual([]);
      expect(await app.gantry.deps.passkeys.userHasPasskey(owner.userId)).toBe(false);
      expect(await codeOf(signInWith(key))).toBe("UNAUTHORIZED");
      expect(await codeOf(mine.remove({ id: passkey.id }))).toBe("NOT_FOUND");
    });

    it("keeps the last passkey of an account without a password", async () => {
      const owner = await app.signup();
      const first = await addPasskey(owner.token, new SoftwareAuthenticator(origin));
      const second = await addPasskey(owner.token, new SoftwareAuthenticator(origin));
      // As an account opened by single sign-on and then unlinked would be.
      await dropPassword(app, owner.userId);
      const mine = app.caller({ token: owner.token }).auth.passkeys;
      await mine.remove({ id: first.id });
      expect(await codeOf(mine.remove({ id: second.id }))).toBe("BAD_REQUEST");
      expect((await mine.list()).map((p) => p.id)).toEqual([second.id]);
    });

    it("lets a password-less account remove its last passkey while single sign-on still lets it in", async () => {
      const owner = await app.signup();
      const only = await addPasskey(owner.token, new SoftwareAuthenticator(origin));
      await dropPassword(app, owner.userId);
      await linkSsoIdentity(app, owner.userId);
      const mine = app.caller({ token: owner.token }).auth.passkeys;
      await mine.remove({ id: only.id });
      expect(await mine.list()).toEqual([]);
      // And single sign-on keeps its last identity now that no passkey is left.
      const sso = app.caller({ token: owner.token }).sso;
      const [identity] = (await sso.account()).identities;
      expect(await codeOf(sso.unlink({ identityId: identity?.id ?? "" }))).toBe("CONFLICT");
    });

    it("uses each challenge once, refuses it late, and binds a registration to its session", async () => {
      const owner = await app.signup();
      const key = new SoftwareAuthenticator(origin);
      await addPasskey(owner.token, key);

      // Sign-in: a replayed answer (same challenge) is refused, the first one worked.
      const caller = app.caller({ ip: freshIp() });
      const options = await caller.auth.passkeys.signInOptions();
      const answer = await key.get(options);
      await caller.auth.passkeys.signIn({ response: answer });
      expect(await codeOf(caller.auth.passkeys.signIn({ response: answer }))).toBe("UNAUTHORIZED");

      // An expired challenge is refused.
      const late = await caller.auth.passkeys.signInOptions();
      await expireChallenges(app, "authentication");
      expect(await codeOf(caller.auth.passkeys.signIn({ response: await key.get(late) }))).toBe("UNAUTHORIZED");

      // A registration challenge belongs to the session that asked for it.
      const elsewhere = expectSignedIn(
        await app.caller().auth.login({ email: owner.email, password: owner.password }),
      ).accessToken;
      const registration = await app.caller({ token: owner.token }).auth.passkeys.registrationOptions();
      const created = await new SoftwareAuthenticator(origin).create(registration);
      expect(await codeOf(app.caller({ token: elsewhere }).auth.passkeys.register({ response: created }))).toBe(
        "BAD_REQUEST",
      );
      // ... and is still there for it, once.
      await app.caller({ token: owner.token }).auth.passkeys.register({ response: created });
      expect(await codeOf(app.caller({ token: owner.token }).auth.passkeys.register({ response: created }))).toBe(
        "BAD_REQUEST",
      );
      expect(await app.caller({ token: owner.token }).auth.passkeys.list()).toHaveLength(2);
    });

    it("refuses answers from another origin, for another challenge, or from a cloned authenticator", async () => {
      const owner = await app.signup();
      const key = new SoftwareAuthenticator(origin);
      const mine = app.caller({ token: owner.token }).auth.passkeys;

      const phished = await key.create(await mine.registrationOptions(), { origin: "https://evil.example" });
      expect(await codeOf(mine.register({ response: phished }))).toBe("BAD_REQUEST");
      expect(await mine.list()).toEqual([]);
      const passkey = await addPasskey(owner.token, key);

      const caller = app.caller({ ip: freshIp() });
      const wrongOrigin = await key.get(await caller.auth.passkeys.signInOptions(), { origin: "https://evil.example" });
      expect(await codeOf(caller.auth.passkeys.signIn({ response: wrongOrigin }))).toBe("UNAUTHORIZED");
      const unknownChallenge = await key.get(await caller.auth.passkeys.signInOptions(), {
        challenge: "bm90LWlzc3VlZA",
      });
      expect(await codeOf(caller.auth.passkeys.signIn({ response: unknownChallenge }))).toBe("UNAUTHORIZED");

      await signInWith(key);
      expect(passkey.name).toBe("Passkey 1");
      const clone = await key.replayCounter(key.credentials[0]?.id ?? "", await caller.auth.passkeys.signInOptions());
      expect(await codeOf(caller.auth.passkeys.signIn({ response: clone }))).toBe("UNAUTHORIZED");

      const malformed = { ...wrongOrigin, response: { ...wrongOrigin.response, clientDataJSON: "bm90IGpzb24" } };
      expect(await codeOf(caller.auth.passkeys.signIn({ response: malformed }))).toBe("BAD_REQUEST");
    });

    it("lets a disabled account sign in no more", async () => {
      const owner = await app.signup();
      const key = new SoftwareAuthenticator(origin);
      await addPasskey(owner.token, key);
      const admin = app.caller({ token: expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken });
      await admin.users.setDisabled({ userId: owner.userId, disabled: true });
      expect(await codeOf(signInWith(key))).toBe("FORBIDDEN");
    });

    it("bounds passkeys per account and ceremonies per address", async () => {
      const owner = await app.signup();
      for (let i = 0; i < PASSKEYS_MAX_PER_USER; i++) await addPasskey(owner.token, new SoftwareAuthenticator(origin));
      const mine = app.caller({ token: owner.token }).auth.passkeys;
      expect(await codeOf(mine.registrationOptions())).toBe("BAD_REQUEST");
      expect(await mine.list()).toHaveLength(PASSKEYS_MAX_PER_USER);

      const ip = freshIp();
      const outcomes: string[] = [];
      for (let i = 0; i < 41; i++) outcomes.push(await codeOf(app.caller({ ip }).auth.passkeys.signInOptions()));
      expect(outcomes.slice(0, 40).every((code) => code === "OK")).toBe(true);
      expect(outcomes[40]).toBe("TOO_MANY_REQUESTS");
      // Another address is not held back by this one.
      expect(await codeOf(app.caller({ ip: freshIp() }).auth.passkeys.signInOptions())).toBe("OK");
    });
  });
}
