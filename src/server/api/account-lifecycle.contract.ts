import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_PAGE_ROWS } from "../services/account/account-export.js";
import { pseudonymFor } from "../services/account/pseudonym.js";
import {
  auditFor,
  expireVerificationLinks,
  ledgerState,
  mailsTo,
  seedSessions,
  storedSessions,
  storedVerificationLinks,
  verificationTokenIn,
} from "../testing/account.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { tableExists } from "../testing/dataset-tables.js";
import { allHold, checkInvariants, formatInvariants } from "../testing/invariants.js";
import { codeOf, errorOf, newKey, waitFor } from "../testing/payments.js";
import { importData, uploadRaw } from "../testing/pipelines.js";
import { expectSignedIn } from "../testing/sign-in.js";
import { sha256 } from "../utils/crypto.js";

const ADMIN = { email: "admin@account.test", password: "admin passphrase for accounts" };
const VERIFY_SUBJECT = "Verify your Gantry email address";

/**
 * Issue 13, items 1 and 5, on PGlite (account-lifecycle.test.ts) and PostgreSQL with Redis and
 * RabbitMQ (account-lifecycle.int.test.ts): email verification links, the REQUIRE_VERIFIED_EMAIL
 * setting, changing the email, the data export, and deleting an account.
 */
export function accountLifecycleContract(mode: "embedded" | "services"): void {
  describe(`account life cycle (${mode === "embedded" ? "PGlite" : "PostgreSQL"})`, () => {
    let app: TestApp;
    const as = (token: string | null) => app.caller({ token });
    const adminToken = async () => expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken;

    beforeAll(async () => {
      app = await createTestApp(mode, {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        REQUIRE_VERIFIED_EMAIL: "payments,imports",
        SANDBOX_SETTLE_DELAY_MS: "30",
      });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
    });

    /** The verification mails sent to `email`, once there are at least `count`. */
    async function verificationMails(email: string, count = 1) {
      return waitFor(async () => {
        const mails = (await mailsTo(app, email)).filter((m) => m.subject === VERIFY_SUBJECT);
        return mails.length >= count ? mails : undefined;
      }, `${count} verification mail(s) to ${email}`);
    }
    const newestToken = async (email: string, count = 1) =>
      verificationTokenIn((await verificationMails(email, count)).at(-1)?.text ?? "");

    async function verifiedUser() {
      const user = await app.signup();
      await as(null).account.verifyEmail({ token: await newestToken(user.email) });
      return user;
    }

    async function succeededPayment(token: string, amount: number) {
      const created = await as(token).payments.create({
        amount,
        currency: "EUR",
        paymentMethod: "pm_card_visa",
        idempotencyKey: newKey(),
      });
      return waitFor(async () => {
        const payment = await as(token).payments.byId({ id: created.id });
        return payment.status === "succeeded" ? payment : undefined;
      }, "the payment to succeed");
    }

    describe("email verification", () => {
      it("mails a new account a link that verifies it once; only the token's hash is stored", async () => {
        const user = await app.signup();
        expect(await as(user.token).auth.me()).toMatchObject({ emailVerified: false });
        expect(await as(user.token).account.verification()).toEqual({
          verified: false,
          requiredFor: ["payments", "imports"],
        });
        const token = await newestToken(user.email);
        const stored = await storedVerificationLinks(app, user.userId);
        expect(stored).toHaveLength(1);
        expect(stored[0]?.tokenHash).toBe(sha256(token));
        expect(JSON.stringify(stored)).not.toContain(token);

        expect(await as(null).account.verifyEmail({ token })).toEqual({ verified: true });
        expect(await as(user.token).auth.me()).toMatchObject({ emailVerified: true });
        // Single use: the same link again is refused on the token field.
        const again = await errorOf(as(null).account.verifyEmail({ token }));
        expect(again.code).toBe("BAD_REQUEST");
        expect(again.message).toMatch(/invalid or has expired/);
        // A verified account gets no more links.
        expect(await as(user.token).account.resendVerification()).toEqual({ sent: false });
      });

      it("refuses an expired link, and a made-up one, changing nothing", async () => {
        const user = await app.signup();
        const token = await newestToken(user.email);
        await expireVerificationLinks(app, user.userId);
        expect(await codeOf(as(null).account.verifyEmail({ token }))).toBe("BAD_REQUEST");
        expect(await codeOf(as(null).account.verifyEmail({ token: "x".repeat(43) }))).toBe("BAD_REQUEST");
        expect(await as(user.token).auth.me()).toMatchObject({ emailVerified: false });
      });

      it("resends at most 3 links an hour, and each new link voids the one before", async () => {
        const user = await app.signup();
        const first = await newestToken(user.email, 1);
        for (let sent = 2; sent <= 4; sent += 1) {
          expect(await as(user.token).account.resendVerification()).toEqual({ sent: true });
          await verificationMails(user.email, sent);
        }
        const refused = await errorOf(as(user.token).account.resendVerification());
        expect(refused.code).toBe("TOO_MANY_REQUESTS");
        expect(refused.message).toMatch(/Too many verification emails/);
        expect(await verificationMails(user.email)).toHaveLength(4);

        expect(await codeOf(as(null).account.verifyEmail({ token: first }))).toBe("BAD_REQUEST");
        expect(await as(null).account.verifyEmail({ token: await newestToken(user.email, 4) })).toEqual({
          verified: true,
        });
      });

      it("keeps payments and imports from an unverified account until it verifies, saying how", async () => {
        const user = await app.signup();
        const payment = {
          amount: 500,
          currency: "EUR",
          paymentMethod: "pm_card_visa",
          idempotencyKey: newKey(),
        };
        const refused = await errorOf(as(user.token).payments.create(payment));
        expect(refused.code).toBe("FORBIDDEN");
        expect(refused.message).toMatch(/Verify your email address before making payments/);
        expect(refused.message).toContain(user.email);
        expect(refused.message).toMatch(/Resend verification email/);
        const upload = await uploadRaw(app, user.token, "a,b\n1,2\n");
        expect(upload.statusCode).toBe(403);
        expect(upload.json().error.message).toMatch(/Verify your email address before importing data sets/);
        expect((await as(user.token).payments.list({})).total).toBe(0);
        expect((await as(user.token).pipelines.datasets.list({})).total).toBe(0);

        await as(null).account.verifyEmail({ token: await newestToken(user.email) });
        expect((await as(user.token).payments.create(payment)).amount).toBe(500);
        expect((await uploadRaw(app, user.token, "a,b\n1,2\n")).statusCode).toBe(202);
      });

      it("changes the email only with the password, verifies the new one and tells the old one", async () => {
        const user = await verifiedUser();
        const other = await app.signup();
        const newEmail = `moved-${user.email}`;
        const wrong = await errorOf(as(user.token).account.changeEmail({ newEmail, password: "not my password" }));
        expect(wrong.code).toBe("BAD_REQUEST");
        expect(
          await codeOf(as(user.token).account.changeEmail({ newEmail: other.email, password: user.password })),
        ).toBe("CONFLICT");
        expect((await as(user.token).auth.me())?.email).toBe(user.email);

        const changed = await as(user.token).account.changeEmail({ newEmail, password: user.password });
        expect(changed).toMatchObject({ email: newEmail, emailVerified: false });
        const notice = await waitFor(
          async () => (await mailsTo(app, user.email)).find((m) => m.subject.includes("was changed")),
          "the notice to the old address",
        );
        expect(notice.text).toMatch(/contact an administrator/);
        // Payments wait for the new address to be verified.
        expect(
          await codeOf(
            as(user.token).payments.create({
              amount: 100,
              currency: "EUR",
              paymentMethod: "pm_card_visa",
              idempotencyKey: newKey(),
            }),
          ),
        ).toBe("FORBIDDEN");
        expect(await codeOf(app.caller().auth.login({ email: user.email, password: user.password }))).toBe(
          "UNAUTHORIZED",
        );
        await app.caller().auth.login({ email: newEmail, password: user.password });

        await as(null).account.verifyEmail({ token: await newestToken(newEmail) });
        expect(await as(user.token).auth.me()).toMatchObject({ email: newEmail, emailVerified: true });
      });
    });

    describe("downloading one's data", () => {
      async function exportOf(token: string | null, path = "/api/account/export.json") {
        const http = app.gantry.http;
        if (!http) throw new Error("no HTTP server");
        return http.inject({
          method: "GET",
          url: path,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
      }

      it("gives the account's profile, sessions, payments, refunds, data sets and pipelines as a JSON attachment", async () => {
        const user = await verifiedUser();
        const stranger = await verifiedUser();
        const payment = await succeededPayment(user.token, 1200);
        await as(user.token).payments.refund({ paymentId: payment.id, amount: 200, idempotencyKey: newKey() });
        await succeededPayment(stranger.token, 999);
        const { dataset } = await importData(app, user.token, "city,n\nOslo,1\nLima,2\n", { name: "cities" });
        await as(user.token).pipelines.create({ name: "big cities", datasetId: dataset.id, steps: [] });

        const response = await exportOf(user.token);
        expect(response.statusCode).toBe(200);
        expect(response.headers["content-type"]).toMatch(/^application\/json/);
        expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="gantry-account-.*\.json"$/);
        const data = response.json();
        expect(data.profile).toMatchObject({ id: user.userId, email: user.email, emailVerified: true });
        expect(data.sessions.length).toBeGreaterThanOrEqual(1);
        expect(data.payments.map((p: { id: string }) => p.id)).toEqual([payment.id]);
        expect(data.refunds).toHaveLength(1);
        expect(data.refunds[0]).toMatchObject({ paymentId: payment.id, amount: 200 });
        expect(data.datasets).toEqual([
          expect.objectContaining({
            id: dataset.id,
            name: "cities",
            rowsExport: `/api/datasets/${dataset.id}/export.csv`,
          }),
        ]);
        expect(data.pipelines).toEqual([expect.objectContaining({ name: "big cities", datasetId: dataset.id })]);
        expect(JSON.stringify(data)).not.toContain(stranger.email);

        // An administrator downloads anyone's; nobody else can, and nobody signed out.
        const admin = await adminToken();
        const byAdmin = await exportOf(admin, `/api/users/${user.userId}/export.json`);
        expect(byAdmin.statusCode).toBe(200);
        expect(byAdmin.json().payments).toHaveLength(1);
        expect((await exportOf(stranger.token, `/api/users/${user.userId}/export.json`)).statusCode).toBe(403);
        expect((await exportOf(null)).statusCode).toBe(401);
        await waitFor(
          async () =>
            (await auditFor(app, user.userId, user.email)).entries.filter((e) => e.type === "account.data_exported")
              .length === 2,
          "both exports in the audit log",
        );
      });

      it("streams in bounded pages and holds at most EXPORT_MAX_CONCURRENT_PER_USER exports at once", async () => {
        const user = await app.signup();
        await seedSessions(app, user.userId, EXPORT_PAGE_ROWS * 2 + 50);
        const caller = { id: user.userId, role: "user" as const };
        const account = app.gantry.deps.account;

        const first = await account.exportData(caller, user.userId);
        const second = await account.exportData(caller, user.userId);
        const third = await account.exportData(caller, user.userId).then(
          () => "opened",
          (error: unknown) => error,
        );
        expect(third).toMatchObject({ code: "TOO_MANY_REQUESTS" });
        second.body.destroy();
        await new Promise((resolve) => setTimeout(resolve, 10));

        const chunks: string[] = [];
        for await (const chunk of first.body as Readable) chunks.push(String(chunk));
        const data = JSON.parse(chunks.join(""));
        expect(data.sessions).toHaveLength(EXPORT_PAGE_ROWS * 2 + 51);
        // One piece per page of rows: no piece holds more than a page of sessions.
        const biggest = Math.max(...chunks.map((c) => (c.match(/"userAgent"/g) ?? []).length));
        expect(biggest).toBeLessThanOrEqual(EXPORT_PAGE_ROWS);
        expect(chunks.length).toBeGreaterThan(3);

        // Both slots came back (one read to the end, one destroyed unread).
        const again = [await account.exportData(caller, user.userId), await account.exportData(caller, user.userId)];
        for (const exported of again) exported.body.destroy();
      });
    });

    describe("deleting an account", () => {
      it("ends every session at once, erases email and name, keeps the ledger balanced and the audit intact, and drops data sets by job", async () => {
        const user = await verifiedUser();
        const keeper = await verifiedUser();
        const elsewhere = expectSignedIn(
          await app.caller().auth.login({ email: user.email, password: user.password }),
        ).accessToken;
        const payment = await succeededPayment(user.token, 2500);
        await as(user.token).payments.refund({ paymentId: payment.id, amount: 500, idempotencyKey: newKey() });
        await waitFor(
          async () => (await as(user.token).payments.byId({ id: payment.id })).refundedAmount === 500,
          "the refund to settle",
        );
        const { dataset } = await importData(app, user.token, "k,v\na,1\nb,2\n", { name: "mine" });
        const pipeline = await as(user.token).pipelines.create({ name: "p", datasetId: dataset.id, steps: [] });
        const { dataset: kept } = await importData(app, keeper.token, "k\nz\n", { name: "theirs" });
        const ledgerBefore = await ledgerState(app);
        const auditBefore = await waitFor(async () => {
          const audit = await auditFor(app, user.userId, user.email);
          return audit.entries.some((e) => e.type === "pipeline.created") ? audit : undefined;
        }, "the user's events in the audit log");
        expect(auditBefore.mentions).toBeGreaterThan(0);

        expect(await codeOf(as(user.token).account.delete({ password: "wrong password" }))).toBe("BAD_REQUEST");
        expect(await codeOf(as(user.token).auth.sessions())).toBe("OK");

        const { pseudonym } = await as(user.token).account.delete({ password: user.password });
        expect(pseudonym).toBe(pseudonymFor(user.userId));
        expect(pseudonym).toMatch(/^deleted-user-[0-9a-f]{16}$/);
        // Both sessions end on the very next call, revoked in PostgreSQL, their details erased.
        expect(await codeOf(as(user.token).auth.sessions())).toBe("UNAUTHORIZED");
        expect(await codeOf(as(elsewhere).auth.sessions())).toBe("UNAUTHORIZED");
        const rows = await storedSessions(app, user.userId);
        expect(rows.length).toBeGreaterThanOrEqual(2);
        for (const row of rows) expect(row).toMatchObject({ revokedAt: expect.any(Date), ip: null, userAgent: null });
        const admin = as(await adminToken());
        const erased = await admin.users.byId({ id: user.userId });
        expect(erased).toMatchObject({ name: pseudonym, deleted: true, disabled: true });
        expect(erased.email).toBe(`${pseudonym}@deleted.invalid`);

        // The books: the payment and its refund are still there, every transaction balances.
        expect(await admin.payments.byId({ id: payment.id })).toMatchObject({ amount: 2500, refundedAmount: 500 });
        const ledgerAfter = await ledgerState(app);
        expect(ledgerAfter.unbalanced).toEqual([]);
        expect(ledgerAfter.entries).toBe(ledgerBefore.entries);

        // The audit log keeps every entry; the address is gone from it, the pseudonym stands in.
        const auditAfter = await waitFor(async () => {
          const audit = await auditFor(app, user.userId, user.email);
          return audit.entries.some((e) => e.type === "account.data_purged") ? audit : undefined;
        }, "account.deleted and account.data_purged in the audit log");
        for (const entry of auditBefore.entries) expect(auditAfter.entries.map((e) => e.id)).toContain(entry.id);
        expect(auditAfter.mentions).toBe(0);
        expect(auditAfter.outboxMentions).toBe(0);
        const registered = auditAfter.entries.find((e) => e.type === "user.registered");
        expect(registered?.payload).toEqual({ userId: user.userId, email: pseudonym });
        expect(auditAfter.entries.find((e) => e.type === "account.deleted")?.payload).toMatchObject({
          userId: user.userId,
          pseudonym,
          by: "self",
        });

        // The job dropped the data set's table and the pipeline; another account's data stays.
        expect(await tableExists(app, dataset.id)).toBe(false);
        expect(await codeOf(admin.pipelines.byId({ id: pipeline.id }))).toBe("NOT_FOUND");
        expect(await codeOf(admin.pipelines.datasets.byId({ id: dataset.id }))).toBe("NOT_FOUND");
        expect(await tableExists(app, kept.id)).toBe(true);
        expect(auditAfter.entries.find((e) => e.type === "account.data_purged")?.payload).toMatchObject({
          datasets: 1,
          pipelines: 1,
        });

        // Nobody signs in as the deleted account; the address is free again for a new, unrelated one.
        expect(await codeOf(app.caller().auth.login({ email: user.email, password: user.password }))).toBe(
          "UNAUTHORIZED",
        );
        const again = await app.signup({ email: user.email });
        expect(again.userId).not.toBe(user.userId);

        if (mode === "services") {
          const results = await checkInvariants(app.gantry.deps.config.databaseUrl ?? "");
          expect(allHold(results), formatInvariants(results)).toBe(true);
        }
      });

      it("lets an administrator delete anyone but the last administrator", async () => {
        const token = await adminToken();
        const admin = as(token);
        const me = await admin.auth.me();
        const victim = await app.signup();
        expect(
          await codeOf(admin.account.deleteUser({ userId: victim.userId, password: "not the admin password" })),
        ).toBe("BAD_REQUEST");
        expect(await admin.account.deleteUser({ userId: victim.userId, password: ADMIN.password })).toEqual({
          pseudonym: pseudonymFor(victim.userId),
        });
        expect(await codeOf(as(victim.token).auth.sessions())).toBe("UNAUTHORIZED");
        expect(await codeOf(admin.account.deleteUser({ userId: victim.userId, password: ADMIN.password }))).toBe(
          "NOT_FOUND",
        );
        const deletedEvent = await waitFor(
          async () => (await auditFor(app, victim.userId, "-")).entries.find((e) => e.type === "account.deleted"),
          "account.deleted",
        );
        expect(deletedEvent).toMatchObject({ actor_id: me?.id, payload: { by: "admin" } });

        // The only administrator cannot leave, whichever way it asks.
        const last = await errorOf(admin.account.delete({ password: ADMIN.password }));
        expect(last.code).toBe("CONFLICT");
        expect(last.message).toMatch(/last administrator/);
        expect(await codeOf(admin.account.deleteUser({ userId: me?.id ?? "", password: ADMIN.password }))).toBe(
          "CONFLICT",
        );

        // With a second administrator, the first may go.
        const second = await verifiedUser();
        await admin.users.setRole({ userId: second.userId, role: "admin" });
        const secondToken = expectSignedIn(
          await app.caller().auth.login({ email: second.email, password: second.password }),
        ).accessToken;
        await as(secondToken).account.deleteUser({ userId: me?.id ?? "", password: second.password });
        expect(await codeOf(admin.auth.sessions())).toBe("UNAUTHORIZED");
        expect(await codeOf(as(secondToken).account.delete({ password: second.password }))).toBe("CONFLICT");
      });
    });
  });
}
