import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../testing/app.js";
import { adminToken, createPaymentsTestApp, newKey, sleep, waitFor } from "../testing/payments.js";

/**
 * Every subscription streams through `whileAllowed`: each update goes out only while the
 * caller may still see it. The run and import streams are covered in runs.test.ts, a payment
 * that is not yours in payment-refunds.test.ts, a logout on an open socket in websocket.test.ts;
 * these cover the audit feed, the account feed and a payment watched by an admin who is demoted.
 */

/**
 * A subscription starts listening in its own time, so keep causing events until the update
 * we wait for arrives (or the stream ends); `poke` must be harmless to repeat.
 */
async function whilePoking<T>(pending: Promise<T>, poke: () => Promise<unknown>): Promise<T> {
  let settled = false;
  pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await poke();
    await sleep(50);
  }
  return pending;
}

describe("live updates while the caller may still see them", () => {
  let app: TestApp;
  let admin: ReturnType<TestApp["caller"]>;

  beforeAll(async () => {
    app = await createPaymentsTestApp();
    admin = app.caller({ token: await adminToken(app) });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("streams the audit log to an admin, and ends it FORBIDDEN once they are demoted", async () => {
    const promoted = await app.signup();
    await admin.users.setRole({ userId: promoted.userId, role: "admin" });
    const entries = (await app.caller({ token: promoted.token }).audit.onEntry())[Symbol.asyncIterator]();

    const first = await whilePoking(entries.next(), () => app.signup());
    expect(first.value).toMatchObject({ id: expect.any(String), type: expect.stringMatching(/^user\./) });

    await admin.users.setRole({ userId: promoted.userId, role: "user" });
    await expect(whilePoking(entries.next(), () => app.signup())).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("sends the caller's account as it changes, then null once the session has ended", async () => {
    const user = await app.signup();
    const me = app.caller({ token: user.token });
    const account = (await me.auth.onAccount())[Symbol.asyncIterator]();

    const renamed = await whilePoking(account.next(), () => me.users.updateProfile({ name: "Renamed" }));
    expect(renamed.value).toMatchObject({ id: user.userId, name: "Renamed" });

    await admin.users.setRole({ userId: user.userId, role: "guest" });
    // Renames poked above may still be on their way: read on until the new role shows.
    let update = await account.next();
    while (!update.done && update.value?.role !== "guest") update = await account.next();
    expect(update.value).toMatchObject({ id: user.userId, role: "guest" });

    await admin.users.setDisabled({ userId: user.userId, disabled: true });
    while (!update.done && update.value !== null) update = await account.next();
    expect(update.value).toBeNull();
    expect((await account.next()).done).toBe(true);
  });

  it("sends nothing but null to a caller who is not signed in", async () => {
    const account = (await app.caller().auth.onAccount())[Symbol.asyncIterator]();
    expect(await account.next()).toMatchObject({ done: false, value: null });
    expect((await account.next()).done).toBe(true);
  });

  it("stops showing an admin another user's payment once they are no longer an admin", async () => {
    const owner = await app.signup();
    const payer = app.caller({ token: owner.token });
    const created = await payer.payments.create({
      amount: 900,
      currency: "USD",
      paymentMethod: "pm_card_visa",
      idempotencyKey: newKey(),
    });
    await waitFor(async () => {
      const payment = await payer.payments.byId({ id: created.id });
      return payment.status === "succeeded" ? payment : undefined;
    }, "the payment to succeed");
    const promoted = await app.signup();
    await admin.users.setRole({ userId: promoted.userId, role: "admin" });
    const watched = (await app.caller({ token: promoted.token }).payments.onPayment({ paymentId: created.id }))[
      Symbol.asyncIterator
    ]();
    expect((await watched.next()).value).toMatchObject({ id: created.id, status: "succeeded" });

    await admin.users.setRole({ userId: promoted.userId, role: "user" });
    await payer.payments.refund({ paymentId: created.id, amount: 100, idempotencyKey: newKey() });
    await expect(watched.next()).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
