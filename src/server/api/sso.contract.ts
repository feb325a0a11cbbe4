import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventType } from "../../shared/events.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { startTestOidcProvider, type TestOidcProvider } from "../testing/oidc-provider.js";
import { expectSignedIn } from "../testing/sign-in.js";
import { SSO_TEST_PUBLIC_URL, SsoBrowser } from "../testing/sso.js";

const ADMIN = { email: "admin@sso.test", password: "admin passphrase for sso" };
const CALLBACK = `${SSO_TEST_PUBLIC_URL}/auth/sso/callback`;
const ACCOUNTS = [
  { login: "alice", sub: "sub-alice-001", email: "Alice@Example.test", name: "Alice Provider" },
  { login: "bob", sub: "sub-bob-002", email: "bob@example.test", name: "Bob Provider" },
  { login: "carol", sub: "sub-carol-003", email: "carol@example.test", name: "Carol" },
  { login: "dave", sub: "sub-dave-004", email: "dave@example.test", name: "Dave" },
  { login: "erin", sub: "sub-erin-005", email: "erin@example.test", name: "Erin" },
  { login: "frank", sub: "sub-frank-006", email: "frank@example.test", name: "Frank" },
  { login: "nomail", sub: "sub-nomail-007" },
  { login: "unverified", sub: "sub-unverified-008", email: "unverified@example.test", emailVerified: false },
];

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider) running in this
 * process, on PGlite (sso.test.ts) and PostgreSQL, Redis and RabbitMQ (sso.int.test.ts). The
 * browser is `SsoBrowser`: the app through `inject`, the provider over HTTP, one cookie jar.
 */
export function ssoContract(mode: "embedded" | "services"): void {
  describe(`single sign-on with OpenID Connect (${mode === "embedded" ? "PGlite" : "PostgreSQL"})`, () => {
    let provider: TestOidcProvider;
    let other: TestOidcProvider;
    let app: TestApp;
    let adminToken: string;

    beforeAll(async () => {
      provider = await startTestOidcProvider({ redirectUris: [CALLBACK], accounts: ACCOUNTS });
      // Another provider that knows the same client id, secret and redirect URI (a mix-up attempt).
      other = await startTestOidcProvider({
        redirectUris: [CALLBACK],
        accounts: ACCOUNTS,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
      });
      app = await createTestApp(mode, {
        PUBLIC_URL: SSO_TEST_PUBLIC_URL,
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_NAME: "Test ID",
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
      });
      adminToken = expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken;
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await provider?.close();
      await other?.close();
    });

    /** The audit log's event types about one account, oldest first (waits for the consumer). */
    async function auditTypesFor(userId: string, expected: EventType[]): Promise<string[]> {
      const deadline = Date.now() + 10_000;
      let types: string[] = [];
      while (Date.now() < deadline) {
        const page = await app.caller({ token: adminToken }).audit.list({
          pageSize: 100,
          sort: { field: "occurredAt", direction: "asc" },
        });
        types = page.items
          .filter((entry) => (entry.payload as { userId?: string } | null)?.userId === userId)
          .map((entry) => entry.type);
        if (expected.every((type) => types.includes(type))) return types;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return types;
    }

    it("offers the provider by its name", async () => {
      expect(await app.caller().sso.provider()).toEqual({ name: "Test ID" });
    });

    it("signs a new person up through the provider: a user account, the same session cookie as a password sign-in", async () => {
      const browser = new SsoBrowser(app);
      const authorize = new URL(await browser.startLogin("/datasets"));
      // Authorization code with PKCE (S256), state and nonce.
      expect(authorize.origin).toBe(provider.issuer);
      expect(authorize.searchParams.get("response_type")).toBe("code");
      expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
      expect(authorize.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
      expect(authorize.searchParams.get("state")).toBeTruthy();
      expect(authorize.searchParams.get("nonce")).toBeTruthy();
      expect(authorize.searchParams.get("redirect_uri")).toBe(CALLBACK);
      expect(browser.jar.get(SSO_TEST_PUBLIC_URL, "gantry_sso")).toBeTruthy();

      const back = await browser.callback(await browser.loginAtProvider(authorize.href, "alice"));
      expect(back).toMatchObject({ status: 302, location: "/datasets" });
      // The flow cookie is spent; the session cookie is the one password sign-in sets.
      expect(browser.jar.get(SSO_TEST_PUBLIC_URL, "gantry_sso")).toBeUndefined();
      const token = browser.sessionToken;
      expect(token).toBeTruthy();
      const me = await app.caller({ token }).auth.me();
      expect(me).toMatchObject({ email: "alice@example.test", name: "Alice Provider", role: "user" });

      const account = await app.caller({ token }).sso.account();
      expect(account.hasPassword).toBe(false);
      expect(account.identities).toHaveLength(1);
      expect(account.identities[0]).toMatchObject({ issuer: provider.issuer, email: "alice@example.test" });
      // No password to sign in with: the password form refuses it like any wrong password.
      await expect(
        app.caller().auth.login({ email: "alice@example.test", password: "anything at all" }),
      ).rejects.toThrow("Incorrect email or password.");

      const userId = me?.id as string;
      expect(await auditTypesFor(userId, ["user.registered", "auth.sso_linked", "user.logged_in"])).toEqual(
        expect.arrayContaining(["user.registered", "auth.sso_linked", "user.logged_in"]),
      );
      const entries = await app.caller({ token: adminToken }).audit.list({ pageSize: 100 });
      const login = entries.items.find(
        (entry) => entry.type === "user.logged_in" && (entry.payload as { userId: string }).userId === userId,
      );
      expect(login?.payload).toMatchObject({ method: "sso" });

      // The second time, the same identity signs in to the same account; nothing new is opened.
      const again = new SsoBrowser(app);
      expect(await again.signInWithSso("alice")).toMatchObject({ status: 302, location: "/" });
      expect((await app.caller({ token: again.sessionToken }).auth.me())?.id).toBe(userId);
      const registered = (await auditTypesFor(userId, [])).filter((type) => type === "user.registered");
      expect(registered).toHaveLength(1);
    });

    it("does not link by email: an existing account's owner is told to sign in with the password and link", async () => {
      const owner = await app.signup({ email: "bob@example.test", password: "bob's own passphrase 1" });
      const browser = new SsoBrowser(app);
      const back = await browser.signInWithSso("bob");
      expect(back).toMatchObject({ status: 302, location: "/login?sso_error=email_in_use" });
      expect(browser.sessionToken).toBeUndefined();
      expect((await app.caller({ token: owner.token }).sso.account()).identities).toEqual([]);
      expect(await auditTypesFor(owner.userId, [])).not.toContain("auth.sso_linked");
    });

    it("refuses a callback whose state is not the one this browser started", async () => {
      const browser = new SsoBrowser(app);
      const first = await browser.startLogin();
      const firstCookie = browser.jar.get(SSO_TEST_PUBLIC_URL, "gantry_sso");
      const second = await browser.loginAtProvider(await browser.startLogin(), "carol");
      // The second flow's code and state, with the first flow's cookie.
      browser.jar.set(SSO_TEST_PUBLIC_URL, "gantry_sso", firstCookie);
      expect(await browser.callback(second)).toMatchObject({ location: "/login?sso_error=bad_state" });
      expect(browser.sessionToken).toBeUndefined();
      expect(first).not.toBe(second);

      // Another browser (no flow cookie at all) handed a genuine callback URL.
      const victim = new SsoBrowser(app);
      const attacker = new SsoBrowser(app);
      const stolen = await attacker.loginAtProvider(await attacker.startLogin(), "carol");
      expect(await victim.callback(stolen)).toMatchObject({ location: "/login?sso_error=bad_state" });
      expect(victim.sessionToken).toBeUndefined();
      // A forged flow cookie is no better.
      victim.jar.set(SSO_TEST_PUBLIC_URL, "gantry_sso", `${attacker.jar.get(SSO_TEST_PUBLIC_URL, "gantry_sso")}x`);
      expect(await victim.callback(stolen)).toMatchObject({ location: "/login?sso_error=bad_state" });
      // The real browser still completes: nothing was spent by the refusals.
      expect(await attacker.callback(stolen)).toMatchObject({ status: 302, location: "/" });
    });

    it("verifies the ID token's aud, iss and nonce (a well-signed token with any of them wrong is refused)", async () => {
      for (const [claim, value] of [
        ["aud", "some-other-client"],
        ["iss", other.issuer],
        ["nonce", "not-the-nonce-we-sent"],
      ] as const) {
        provider.tamperIdTokens((claims) => ({ ...claims, [claim]: value }));
        const browser = new SsoBrowser(app);
        const back = await browser.signInWithSso("dave");
        expect(back.location, claim).toBe("/login?sso_error=provider_error");
        expect(browser.sessionToken, claim).toBeUndefined();
      }
      provider.tamperIdTokens(undefined);
      expect(
        await app
          .caller()
          .auth.login({ email: "dave@example.test", password: "x" })
          .catch(() => "no account"),
      ).toBe("no account");
    });

    it("refuses an authorization response from another provider (mix-up)", async () => {
      const browser = new SsoBrowser(app);
      const ours = new URL(await browser.startLogin());
      // Same parameters (state, nonce, PKCE challenge), sent to the other provider.
      const theirs = new URL(`${other.issuer}/auth${ours.search}`);
      const back = await browser.callback(await browser.loginAtProvider(theirs.href, "erin"));
      expect(back.location).toBe("/login?sso_error=provider_error");
      expect(browser.sessionToken).toBeUndefined();
    });

    it("says the sign-in was cancelled when the person cancels at the provider", async () => {
      const browser = new SsoBrowser(app);
      const back = await browser.callback(
        await browser.loginAtProvider(await browser.startLogin(), "", { cancel: true }),
      );
      expect(back).toMatchObject({ status: 302, location: "/login?sso_error=denied" });
      expect(browser.sessionToken).toBeUndefined();
    });

    it("refuses an identity without a usable email", async () => {
      expect((await new SsoBrowser(app).signInWithSso("nomail")).location).toBe("/login?sso_error=email_missing");
      expect((await new SsoBrowser(app).signInWithSso("unverified")).location).toBe(
        "/login?sso_error=email_unverified",
      );
    });

    it("links from the profile for the signed-in owner, then signs in with it; unlinks while a password remains", async () => {
      const owner = await app.signup({ email: "frank@example.test", password: "frank's own passphrase" });
      const browser = new SsoBrowser(app);
      browser.sessionToken = owner.token;

      // Without the client header, the session cookie does not start a link (no cross-site starts).
      expect((await browser.request("POST", "/auth/sso/link")).status).toBe(401);
      const started = await browser.startLink();
      expect(started.status).toBe(200);
      const back = await browser.callback(await browser.loginAtProvider(started.url as string, "frank"));
      expect(back).toMatchObject({ status: 302, location: "/profile?sso_linked=1" });

      const account = await app.caller({ token: owner.token }).sso.account();
      expect(account).toMatchObject({ hasPassword: true, provider: { name: "Test ID", issuer: provider.issuer } });
      expect(account.identities).toHaveLength(1);

      const sso = new SsoBrowser(app);
      expect((await sso.signInWithSso("frank")).location).toBe("/");
      expect((await app.caller({ token: sso.sessionToken }).auth.me())?.id).toBe(owner.userId);

      const identityId = account.identities[0]?.id as string;
      await app.caller({ token: owner.token }).sso.unlink({ identityId });
      expect((await app.caller({ token: owner.token }).sso.account()).identities).toEqual([]);
      expect(await auditTypesFor(owner.userId, ["auth.sso_linked", "auth.sso_unlinked"])).toEqual(
        expect.arrayContaining(["auth.sso_linked", "auth.sso_unlinked"]),
      );
      // Unlinked: the identity no longer signs in to Frank's account (and his email is taken).
      expect((await new SsoBrowser(app).signInWithSso("frank")).location).toBe("/login?sso_error=email_in_use");
      // Someone else's identity id is not found, and changes nothing.
      await expect(app.caller({ token: owner.token }).sso.unlink({ identityId })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    });

    it("completes a link only for the session that started it, and never takes another account's identity", async () => {
      const owner = await app.signup({ password: "owner's own passphrase 1" });
      const intruder = await app.signup({ password: "intruder's passphrase 1" });
      const browser = new SsoBrowser(app);
      browser.sessionToken = owner.token;
      const started = await browser.startLink();
      const callback = await browser.loginAtProvider(started.url as string, "erin");
      // Signed in as someone else by the time the provider sends the browser back.
      browser.sessionToken = intruder.token;
      expect((await browser.callback(callback)).location).toBe("/profile?sso_error=session_mismatch");
      expect((await app.caller({ token: intruder.token }).sso.account()).identities).toEqual([]);
      expect((await app.caller({ token: owner.token }).sso.account()).identities).toEqual([]);

      // Alice's identity already signs in to Alice's account: nobody else may link it.
      // (A fresh browser: this one's provider session is still Erin's.)
      const fresh = new SsoBrowser(app);
      fresh.sessionToken = owner.token;
      const again = await fresh.startLink();
      expect((await fresh.callback(await fresh.loginAtProvider(again.url as string, "alice"))).location).toBe(
        "/profile?sso_error=identity_taken",
      );
      expect((await app.caller({ token: owner.token }).sso.account()).identities).toEqual([]);
    });

    it("keeps the last way in: an account opened by SSO cannot unlink its only identity", async () => {
      const browser = new SsoBrowser(app);
      await browser.signInWithSso("carol");
      const token = browser.sessionToken;
      const [identity] = (await app.caller({ token }).sso.account()).identities;
      await expect(app.caller({ token }).sso.unlink({ identityId: identity?.id as string })).rejects.toMatchObject({
        code: "CONFLICT",
      });
      expect((await app.caller({ token }).sso.account()).identities).toHaveLength(1);
    });
  });

  describe(`single sign-on when the provider is away (${mode})`, () => {
    let silent: Server;
    let apps: TestApp[] = [];

    const sockets = new Set<Socket>();
    beforeAll(async () => {
      // Accepts connections and never answers: only the timeout ends the wait.
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on("error", () => {});
      });
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
      apps = [];
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it.each([
      ["closed", () => "http://127.0.0.1:9"],
      ["silent", () => `http://127.0.0.1:${(silent.address() as { port: number }).port}`],
    ])(
      "a %s provider sends the person back to sign-in with a message, within the timeout",
      async (_kind, issuer) => {
        const app = await createTestApp(mode, {
          PUBLIC_URL: SSO_TEST_PUBLIC_URL,
          OIDC_ISSUER: issuer(),
          OIDC_CLIENT_ID: "gantry",
          OIDC_CLIENT_SECRET: "secret",
          OIDC_TIMEOUT_MS: "500",
        });
        apps.push(app);
        const started = Date.now();
        const answer = await new SsoBrowser(app).request("GET", "/auth/sso/start");
        expect(answer.location).toBe("/login?sso_error=provider_unavailable");
        expect(Date.now() - started).toBeLessThan(3000);
        // The callback with no flow is refused on its own terms, never a 500.
        const callback = await new SsoBrowser(app).request("GET", "/auth/sso/callback?code=x&state=y");
        expect(callback).toMatchObject({ status: 302, location: "/login?sso_error=bad_state" });
      },
      90_000,
    );
  });
}
