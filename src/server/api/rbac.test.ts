import { type AnyProcedure, TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminOnly, can, type Permission, permissionsByRole, type Role } from "../../shared/permissions.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { expectSignedIn } from "../testing/sign-in.js";
import type { ProcedureMeta } from "../trpc/init.js";
import { appRouter } from "../trpc/router.js";

/**
 * Every procedure of the router against the shared permission matrix, for every kind of
 * caller; then the cases the matrix alone cannot express: one's own objects versus others'.
 */

const ADMIN = { email: "admin@rbac.test", password: "admin passphrase for rbac" };
const PASSWORD = "a perfectly fine passphrase";

type Caller = "anonymous" | Role;
type Outcome = "OK" | TRPCError["code"];

const allPermissions = new Set<string>(Object.values(permissionsByRole).flat());

function proceduresOf(): Array<{ path: string; type: AnyProcedure["_def"]["type"]; access: unknown }> {
  const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
  return Object.entries(procedures).map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
    access: (procedure._def.meta as Partial<ProcedureMeta> | undefined)?.access,
  }));
}

/** What the matrix says a caller gets from a procedure with this access. */
function expectedFor(caller: Caller, access: ProcedureMeta["access"]): "allowed" | "UNAUTHORIZED" | "FORBIDDEN" {
  if (access === "public") return "allowed";
  if (caller === "anonymous") return "UNAUTHORIZED";
  if (access === "authenticated") return "allowed";
  return can(caller, access as Permission) ? "allowed" : "FORBIDDEN";
}

type Callable = (input?: unknown) => Promise<unknown>;

/** The typed caller is a proxy: walk it by the dotted path the router reports. */
function procedureAt(caller: object, path: string): Callable {
  let node: unknown = caller;
  for (const key of path.split(".")) node = (node as Record<string, unknown>)[key];
  return node as Callable;
}

async function outcomeOf(call: Promise<unknown>): Promise<Outcome> {
  try {
    const result = await call;
    // A subscription hands back its stream; close it without reading.
    if (result && typeof result === "object" && Symbol.asyncIterator in result) {
      await (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.();
    }
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("RBAC", () => {
  let app: TestApp;
  const accounts = {} as Record<Role, { email: string; userId: string }>;
  const tokens = {} as Record<Role, string>;

  const login = async (email: string, password = PASSWORD) =>
    expectSignedIn(await app.caller().auth.login({ email, password })).accessToken;

  /** The sweep's logoutAll ends every session of a role, so callers always ask for a live one. */
  const adminCaller = async () => app.caller({ token: await tokenFor("admin") });

  /** A live session for the role: logout/logoutAll in the sweep end them, so renew when needed. */
  async function tokenFor(role: Role): Promise<string> {
    const current = tokens[role];
    if (current && (await app.caller({ token: current }).auth.me())) return current;
    tokens[role] = role === "admin" ? await login(ADMIN.email, ADMIN.password) : await login(accounts[role].email);
    return tokens[role];
  }

  beforeAll(async () => {
    app = await createTestApp("embedded", {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    const admin = app.caller({ token: await tokenFor("admin") });
    const user = await app.signup({ email: "user@rbac.test" });
    const guest = await app.signup({ email: "guest@rbac.test" });
    await admin.users.setRole({ userId: guest.userId, role: "guest" });
    const me = await admin.auth.me();
    accounts.admin = { email: ADMIN.email, userId: me?.id ?? "" };
    accounts.user = { email: user.email, userId: user.userId };
    accounts.guest = { email: guest.email, userId: guest.userId };
  });
  afterAll(async () => {
    await app?.close();
  });

  it("gives every procedure an access level from the matrix", () => {
    const procedures = proceduresOf();
    // The walk must see the whole router, not an empty or partial record.
    expect(procedures.map((p) => p.path)).toEqual(
      expect.arrayContaining(["auth.login", "auth.logout", "auth.sessions", "users.setRole", "audit.list"]),
    );
    expect(procedures.length).toBeGreaterThanOrEqual(20);
    for (const { path, access } of procedures) {
      expect(access, `${path} declares no meta.access`).toBeDefined();
      const known = access === "public" || access === "authenticated" || allPermissions.has(String(access));
      expect(known, `${path} has unknown access ${String(access)}`).toBe(true);
    }
  });

  it("keeps account administration, the audit log and profile changes behind their permissions", () => {
    // The sweep checks behaviour against the declared access; this pins the declarations that
    // matter most, so weakening one is a deliberate, reviewed change.
    const access = Object.fromEntries(proceduresOf().map((p) => [p.path, p.access]));
    expect(access).toMatchObject({
      "users.list": "users:manage",
      "users.byId": "users:manage",
      "users.setRole": "users:manage",
      "users.setDisabled": "users:manage",
      "audit.list": "audit:read",
      "audit.onEntry": "audit:read",
      "users.updateProfile": "profile:update",
      "auth.changePassword": "profile:update",
      "auth.sessions": "authenticated",
      "auth.revokeSession": "authenticated",
      "auth.logout": "authenticated",
      "auth.logoutAll": "authenticated",
      "auth.passkeys.list": "profile:read",
      "auth.passkeys.registrationOptions": "profile:update",
      "auth.passkeys.register": "profile:update",
      "auth.passkeys.rename": "profile:update",
      "auth.passkeys.remove": "profile:update",
      "auth.passkeys.signInOptions": "public",
      "auth.passkeys.signIn": "public",
      // Two-factor acts on the caller's own account only; completing a sign-in needs no session.
      "auth.twoFactor.status": "authenticated",
      "auth.twoFactor.begin": "authenticated",
      "auth.twoFactor.confirm": "authenticated",
      "auth.twoFactor.disable": "authenticated",
      "auth.twoFactor.completeLogin": "public",
      "account.verification": "authenticated",
      "account.resendVerification": "authenticated",
      "account.verifyEmail": "public",
      "account.changeEmail": "profile:update",
      "account.delete": "authenticated",
      "account.deleteUser": "users:manage",
    });
  });

  describe.each(["anonymous", "guest", "user", "admin"] as const)("as %s", (caller) => {
    it("gets exactly what the matrix grants on every procedure", async () => {
      const seen: string[] = [];
      for (const { path, access } of proceduresOf()) {
        const token = caller === "anonymous" ? null : await tokenFor(caller);
        // No input at all: permission checks run before input validation, so a caller with
        // access gets BAD_REQUEST (or success, for procedures that take no input).
        const outcome = await outcomeOf(procedureAt(app.caller({ token }), path)(undefined));
        const expected = expectedFor(caller, access as ProcedureMeta["access"]);
        if (expected === "allowed") {
          expect(["OK", "BAD_REQUEST"], `${caller} on ${path} (${String(access)})`).toContain(outcome);
        } else {
          expect(outcome, `${caller} on ${path} (${String(access)})`).toBe(expected);
        }
        seen.push(path);
      }
      expect(seen.length).toBe(proceduresOf().length);
    });
  });

  describe("own objects versus others'", () => {
    it("refuses to revoke another user's session as if it did not exist, and that session keeps working", async () => {
      const alice = await app.signup();
      const bob = await app.signup();
      const [bobSession] = await app.caller({ token: bob.token }).auth.sessions();
      expect(bobSession).toBeDefined();

      const attempt = app.caller({ token: alice.token }).auth.revokeSession({ sessionId: bobSession?.id ?? "" });
      expect(await outcomeOf(attempt)).toBe("NOT_FOUND");
      const bobsNow = await app.caller({ token: bob.token }).auth.sessions();
      expect(bobsNow.map((s) => s.id)).toContain(bobSession?.id);

      // The same call on one's own other session does end it.
      const aliceElsewhere = await login(alice.email);
      const sessions = await app.caller({ token: alice.token }).auth.sessions();
      const other = sessions.find((s) => !s.current);
      expect(other).toBeDefined();
      await app.caller({ token: alice.token }).auth.revokeSession({ sessionId: other?.id ?? "" });
      expect(await outcomeOf(app.caller({ token: aliceElsewhere }).auth.sessions())).toBe("UNAUTHORIZED");
      expect(await outcomeOf(app.caller({ token: alice.token }).auth.sessions())).toBe("OK");
    });

    it("changes only the caller's own profile, whatever ids the input carries", async () => {
      const alice = await app.signup({ name: "Alice" });
      const bob = await app.signup({ name: "Bob" });
      const sneaky = { name: "Renamed", userId: bob.userId, id: bob.userId };
      const updated = await app.caller({ token: alice.token }).users.updateProfile(sneaky);
      expect(updated).toMatchObject({ id: alice.userId, name: "Renamed" });
      const bobNow = await (await adminCaller()).users.byId({ id: bob.userId });
      expect(bobNow.name).toBe("Bob");
    });

    it("lets a guest change their own name and password, and nothing of anyone else's", async () => {
      // A fresh guest: changing the password must not disturb the sweep's shared guest session.
      const admin = await adminCaller();
      const fresh = await app.signup({ name: "Guest before" });
      await admin.users.setRole({ userId: fresh.userId, role: "guest" });
      const guest = app.caller({ token: await login(fresh.email) });
      expect((await guest.auth.me())?.role).toBe("guest");

      const sneaky = { name: "Guest renamed", userId: accounts.user.userId };
      const renamed = await guest.users.updateProfile(sneaky);
      expect(renamed).toMatchObject({ id: fresh.userId, name: "Guest renamed" });
      expect((await admin.users.byId({ id: accounts.user.userId })).name).not.toBe("Guest renamed");

      await guest.auth.changePassword({ currentPassword: PASSWORD, newPassword: "another fine passphrase" });
      expect(await outcomeOf(app.caller().auth.login({ email: fresh.email, password: PASSWORD }))).toBe("UNAUTHORIZED");
      const again = expectSignedIn(
        await app.caller().auth.login({ email: fresh.email, password: "another fine passphrase" }),
      );
      expect(again.user.name).toBe("Guest renamed");
      // Still a viewer: the profile permission opens nothing else.
      expect(can("guest", "payments:create")).toBe(false);
      expect(can("guest", "datasets:write")).toBe(false);
    });

    it("refuses a user who tries to promote themselves", async () => {
      const mallory = await app.signup();
      const attempt = app.caller({ token: mallory.token }).users.setRole({ userId: mallory.userId, role: "admin" });
      expect(await outcomeOf(attempt)).toBe("FORBIDDEN");
      expect((await app.caller({ token: mallory.token }).auth.me())?.role).toBe("user");
    });

    it("lets an admin manage anyone: list, read, change roles, disable and enable", async () => {
      const admin = await adminCaller();
      const carol = await app.signup({ name: "Carol" });

      const page = await admin.users.list({ filter: [{ field: "email", op: "eq", value: carol.email }] });
      expect(page.items.map((u) => u.id)).toEqual([carol.userId]);
      expect(await admin.users.byId({ id: carol.userId })).toMatchObject({ name: "Carol", role: "user" });

      await admin.users.setRole({ userId: carol.userId, role: "guest" });
      // The very next request already carries the new role.
      // (No input: the permission is checked before the input, so a role that may pay gets BAD_REQUEST.)
      const pay = () => procedureAt(app.caller({ token: carol.token }), "payments.create")(undefined);
      expect(await outcomeOf(pay())).toBe("FORBIDDEN");
      await admin.users.setRole({ userId: carol.userId, role: "user" });
      expect(await outcomeOf(pay())).toBe("BAD_REQUEST");

      await admin.users.setDisabled({ userId: carol.userId, disabled: true });
      expect(await outcomeOf(app.caller({ token: carol.token }).auth.sessions())).toBe("UNAUTHORIZED");
      expect(await outcomeOf(app.caller().auth.login({ email: carol.email, password: PASSWORD }))).toBe("FORBIDDEN");
      await admin.users.setDisabled({ userId: carol.userId, disabled: false });
      // Enabling lets her sign in again; sessions ended by disabling stay ended.
      const fresh = await login(carol.email);
      expect(await outcomeOf(app.caller({ token: fresh }).auth.sessions())).toBe("OK");
      expect(await outcomeOf(app.caller({ token: carol.token }).auth.sessions())).toBe("UNAUTHORIZED");
    });

    it("lets a guest change their own email and leave, and only an admin delete someone else", async () => {
      // A guest's account is their own (name, password, email): the procedure lets them in, and
      // a wrong password is what stops this attempt.
      const guest = app.caller({ token: await tokenFor("guest") });
      expect(
        await outcomeOf(guest.account.changeEmail({ newEmail: "g2@rbac.test", password: "not the password" })),
      ).toBe("BAD_REQUEST");
      const victim = await app.signup();
      const mallory = await app.signup();
      const attempt = app.caller({ token: mallory.token }).account.deleteUser({
        userId: victim.userId,
        password: PASSWORD,
      });
      expect(await outcomeOf(attempt)).toBe("FORBIDDEN");
      expect(await outcomeOf(app.caller({ token: victim.token }).auth.sessions())).toBe("OK");
      // Leaving needs no permission beyond being signed in: a guest may go.
      const leaving = await app.signup();
      await (await adminCaller()).users.setRole({ userId: leaving.userId, role: "guest" });
      const token = await login(leaving.email);
      expect(await outcomeOf(app.caller({ token }).account.delete({ password: PASSWORD }))).toBe("OK");
      expect(await outcomeOf(app.caller({ token }).auth.sessions())).toBe("UNAUTHORIZED");
    });

    it("refuses an admin who would demote or disable themselves", async () => {
      const admin = await adminCaller();
      const self = accounts.admin.userId;
      expect(await outcomeOf(admin.users.setRole({ userId: self, role: "user" }))).toBe("CONFLICT");
      expect(await outcomeOf(admin.users.setDisabled({ userId: self, disabled: true }))).toBe("CONFLICT");
      expect(await admin.users.byId({ id: self })).toMatchObject({ role: "admin", disabled: false });
      expect(await outcomeOf(admin.audit.list({}))).toBe("OK");
    });
  });
});

describe("RBAC with REQUIRE_ADMIN_TWO_FACTOR", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp("embedded", {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      REQUIRE_ADMIN_TWO_FACTOR: "true",
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers an admin without a second factor FORBIDDEN on exactly the admin-only procedures", async () => {
    const adminToken = async () => expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken;
    let token = await adminToken();
    const guarded: string[] = [];
    for (const { path, access } of proceduresOf()) {
      // The sweep's logout and logoutAll end the session: sign in again when they have.
      if (!(await app.caller({ token }).auth.me())) token = await adminToken();
      const outcome = await outcomeOf(procedureAt(app.caller({ token }), path)(undefined));
      const needsSecondFactor = access !== "public" && access !== "authenticated" && adminOnly(access as Permission);
      if (needsSecondFactor) {
        expect(outcome, `admin on ${path} (${String(access)})`).toBe("FORBIDDEN");
        guarded.push(path);
      } else {
        expect(["OK", "BAD_REQUEST"], `admin on ${path} (${String(access)})`).toContain(outcome);
      }
    }
    expect(guarded).toEqual(expect.arrayContaining(["users.list", "users.setRole", "audit.list"]));
  });
});
