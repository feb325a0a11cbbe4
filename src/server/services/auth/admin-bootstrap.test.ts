import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/app.js";
import { expectSignedIn } from "../../testing/sign-in.js";

/** ADMIN_EMAIL / ADMIN_PASSWORD at start-up: make sure that admin exists, and only with that password. */
describe("admin bootstrap", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp("embedded", { ADMIN_EMAIL: "boot@gantry.test", ADMIN_PASSWORD: "operator passphrase" });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("creates the admin on a fresh database", async () => {
    const result = expectSignedIn(
      await app.caller().auth.login({ email: "boot@gantry.test", password: "operator passphrase" }),
    );
    expect(result.user.role).toBe("admin");
  });

  it("does not hand admin rights to someone who signed up with the email first", async () => {
    const squatter = await app.signup({ email: "ops@gantry.test", password: "squatters own passphrase" });
    await app.gantry.deps.auth.ensureAdmin("ops@gantry.test", "the operator's passphrase");

    // The squatter's session and password are gone; the operator's password opens an admin account.
    await expect(app.caller({ token: squatter.token }).auth.sessions()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(
      app.caller().auth.login({ email: "ops@gantry.test", password: "squatters own passphrase" }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const operator = expectSignedIn(
      await app.caller().auth.login({ email: "ops@gantry.test", password: "the operator's passphrase" }),
    );
    expect(operator.user.role).toBe("admin");
  });
});
