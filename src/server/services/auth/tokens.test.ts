import { randomUUID } from "node:crypto";
import { decodeJwt, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/app.js";
import { expectSignedIn } from "../../testing/sign-in.js";

/**
 * Forged and stale access tokens, each refused with UNAUTHORIZED on a protected procedure.
 * The app runs with a secret the test knows, so "correctly signed but wrong claim" tokens can
 * be built; a correctly forged token is accepted, which proves each refusal comes from the one
 * thing that is wrong.
 */

const SECRET = "tokens-test-secret-0123456789-abcdefghijklmnop";
const OTHER_SECRET = "some-other-secret-0123456789-abcdefghijklmnopq";
const PASSWORD = "a perfectly fine passphrase";
const ADMIN = { email: "admin@tokens.test", password: "admin passphrase for tokens" };
const encode = (secret: string) => new TextEncoder().encode(secret);

interface Forgery {
  header?: { alg?: string; typ?: string };
  claims?: JWTPayload;
  omit?: Array<"exp" | "sid" | "iat" | "sub" | "jti">;
  secret?: string;
}

/** Sleeps until just after a wall-clock second starts: tokens carry whole seconds. */
async function atStartOfSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
}

describe("access tokens", () => {
  let app: TestApp;
  let victim: { token: string; userId: string; email: string; sessionId: string };

  const sessionsWith = (token: string) => app.caller({ token }).auth.sessions();
  const refusal = { name: "TRPCError", code: "UNAUTHORIZED" };

  /** A token for the victim's live session, exactly as the server builds one unless told otherwise. */
  async function forge({ header = {}, claims = {}, omit = [], secret = SECRET }: Forgery = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = {
      iss: "gantry",
      aud: "gantry-api",
      sub: victim.userId,
      sid: victim.sessionId,
      jti: randomUUID(),
      iat: now,
      exp: now + 3600,
      ...claims,
    };
    for (const claim of omit) delete payload[claim];
    return new SignJWT(payload)
      .setProtectedHeader({ alg: header.alg ?? "HS256", typ: header.typ ?? "at+jwt" })
      .sign(encode(secret));
  }

  beforeAll(async () => {
    app = await createTestApp("embedded", {
      JWT_SECRET: SECRET,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    const account = await app.signup();
    const sid = decodeJwt(account.token).sid;
    if (typeof sid !== "string") throw new Error("the server's token carries no sid");
    victim = { ...account, sessionId: sid };
  });
  afterAll(async () => {
    await app?.close();
  });

  it("accepts the server's own token and a correct forgery with the real secret (the control)", async () => {
    expect(await sessionsWith(victim.token)).toHaveLength(1);
    expect(await sessionsWith(await forge())).toHaveLength(1);
  });

  it("refuses alg: none", async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = new UnsecuredJWT({ sid: victim.sessionId, jti: randomUUID() })
      .setIssuer("gantry")
      .setAudience("gantry-api")
      .setSubject(victim.userId)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .encode();
    await expect(sessionsWith(unsigned)).rejects.toMatchObject(refusal);
    // The same with a typ header and an empty signature, as attackers usually send it.
    const [, body] = unsigned.split(".");
    const typed = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${body}.`;
    await expect(sessionsWith(typed)).rejects.toMatchObject(refusal);
  });

  it("refuses a token signed with another key", async () => {
    await expect(sessionsWith(await forge({ secret: OTHER_SECRET }))).rejects.toMatchObject(refusal);
  });

  it("refuses another HMAC algorithm even with the right secret (the algorithm is pinned)", async () => {
    await expect(sessionsWith(await forge({ header: { alg: "HS512" } }))).rejects.toMatchObject(refusal);
  });

  it("refuses a wrong issuer or audience", async () => {
    await expect(sessionsWith(await forge({ claims: { iss: "evil" } }))).rejects.toMatchObject(refusal);
    await expect(sessionsWith(await forge({ claims: { aud: "other-api" } }))).rejects.toMatchObject(refusal);
  });

  it("refuses a wrong typ header", async () => {
    await expect(sessionsWith(await forge({ header: { typ: "JWT" } }))).rejects.toMatchObject(refusal);
  });

  it("refuses a token without exp or with exp in the past", async () => {
    await expect(sessionsWith(await forge({ omit: ["exp"] }))).rejects.toMatchObject(refusal);
    const past = Math.floor(Date.now() / 1000) - 60;
    await expect(sessionsWith(await forge({ claims: { iat: past - 3600, exp: past } }))).rejects.toMatchObject(refusal);
  });

  it("refuses a token without sid, or naming a session that does not exist", async () => {
    await expect(sessionsWith(await forge({ omit: ["sid"] }))).rejects.toMatchObject(refusal);
    await expect(sessionsWith(await forge({ claims: { sid: randomUUID() } }))).rejects.toMatchObject(refusal);
  });

  it("refuses a correctly signed token that names someone else's session", async () => {
    const other = await app.signup();
    await expect(sessionsWith(await forge({ claims: { sub: other.userId } }))).rejects.toMatchObject(refusal);
  });

  it("refuses garbage", async () => {
    for (const garbage of ["garbage", "a.b.c", "", "Bearer x", "eyJhbGciOiJIUzI1NiJ9.e30."]) {
      await expect(sessionsWith(garbage)).rejects.toMatchObject(refusal);
    }
  });

  it("refuses the token of a session that logged out", async () => {
    const { token } = await app.signup();
    await app.caller({ token }).auth.logout();
    await expect(sessionsWith(token)).rejects.toMatchObject(refusal);
  });

  it("refuses every token of an account an admin disabled", async () => {
    const admin = expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken;
    const target = await app.signup();
    const second = expectSignedIn(
      await app.caller().auth.login({ email: target.email, password: PASSWORD }),
    ).accessToken;
    await app.caller({ token: admin }).users.setDisabled({ userId: target.userId, disabled: true });
    await expect(sessionsWith(target.token)).rejects.toMatchObject(refusal);
    await expect(sessionsWith(second)).rejects.toMatchObject(refusal);
  });

  it("refuses tokens from before a password change; the token changePassword returns works", async () => {
    const account = await app.signup();
    const elsewhere = expectSignedIn(
      await app.caller().auth.login({ email: account.email, password: PASSWORD }),
    ).accessToken;
    const changed = await app
      .caller({ token: account.token })
      .auth.changePassword({ currentPassword: PASSWORD, newPassword: "a brand new passphrase" });
    await expect(sessionsWith(account.token)).rejects.toMatchObject(refusal);
    await expect(sessionsWith(elsewhere)).rejects.toMatchObject(refusal);
    const sessions = await sessionsWith(changed.accessToken);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.current).toBe(true);
  });

  it("accepts a sign-in made right after a password change, in the same second", async () => {
    const account = await app.signup();
    await atStartOfSecond();
    await app
      .caller({ token: account.token })
      .auth.changePassword({ currentPassword: PASSWORD, newPassword: "a brand new passphrase" });
    const login = expectSignedIn(
      await app.caller().auth.login({ email: account.email, password: "a brand new passphrase" }),
    );
    expect(await sessionsWith(login.accessToken)).toHaveLength(2);
  });
});

describe("tokens already verified by this process", () => {
  it("are refused once expired, though their signature is not checked again", async () => {
    const { InvalidToken, TokenService, TOKEN_TTL_MS } = await import("./tokens.js");
    const tokens = new TokenService(SECRET);
    const { token } = await tokens.issue(randomUUID(), randomUUID());
    expect((await tokens.verify(token)).sessionId).toBeTypeOf("string");
    await expect(tokens.verify(token, Date.now() + TOKEN_TTL_MS + 1000)).rejects.toBeInstanceOf(InvalidToken);
    // A token signed with another key is refused however often it is sent.
    const other = await new TokenService(OTHER_SECRET).issue(randomUUID(), randomUUID());
    await expect(tokens.verify(other.token)).rejects.toBeInstanceOf(InvalidToken);
    await expect(tokens.verify(other.token)).rejects.toBeInstanceOf(InvalidToken);
  });
});
