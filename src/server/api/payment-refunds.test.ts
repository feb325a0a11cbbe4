import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Payment } from "../../shared/schemas/payments.js";
import type { TestApp } from "../testing/app.js";
import {
  adminToken,
  codeOf,
  createPaymentsTestApp,
  errorOf,
  eventTypesFor,
  ledgerFor,
  newKey,
  paymentFootprint,
  quiet,
  sandboxOf,
  waitFor,
} from "../testing/payments.js";
import { expectSignedIn } from "../testing/sign-in.js";

/** Refunds (full, partial, never more than remains) and who may see or refund which payment. */
describe("payment refunds and access", () => {
  let app: TestApp;
  let alice: string;
  let bob: string;
  let admin: string;
  let guest: string;
  const as = (token: string) => app.caller({ token });

  async function succeededPayment(token: string, amount = 1000, currency = "USD"): Promise<Payment> {
    const created = await as(token).payments.create({
      amount,
      currency,
      paymentMethod: "pm_card_visa",
      idempotencyKey: newKey(),
    });
    return waitFor(async () => {
      const payment = await as(token).payments.byId({ id: created.id });
      return payment.status === "succeeded" ? payment : undefined;
    }, "the payment to succeed");
  }

  beforeAll(async () => {
    app = await createPaymentsTestApp();
    alice = (await app.signup({ name: "Alice" })).token;
    bob = (await app.signup({ name: "Bob" })).token;
    admin = await adminToken(app);
    const guestAccount = await app.signup({ name: "Guest" });
    await as(admin).users.setRole({ userId: guestAccount.userId, role: "guest" });
    guest = expectSignedIn(
      await app.caller().auth.login({ email: guestAccount.email, password: guestAccount.password }),
    ).accessToken;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("refunds part, then the rest, then refuses a cent more; the ledger follows every step", async () => {
    const payment = await succeededPayment(alice, 1000);

    const first = await as(alice).payments.refund({ paymentId: payment.id, amount: 300, idempotencyKey: newKey() });
    expect(first.refund).toMatchObject({ amount: 300, status: "succeeded" });
    expect(first.payment).toMatchObject({ status: "partially_refunded", refundedAmount: 300 });

    const rest = await as(alice).payments.refund({
      paymentId: payment.id,
      reason: "changed my mind",
      idempotencyKey: newKey(),
    });
    expect(rest.refund).toMatchObject({ amount: 700, status: "succeeded", reason: "changed my mind" });
    expect(rest.payment).toMatchObject({ status: "refunded", refundedAmount: 1000 });

    await quiet(app);
    const before = await paymentFootprint(app);
    const over = await errorOf(
      as(alice).payments.refund({ paymentId: payment.id, amount: 1, idempotencyKey: newKey() }),
    );
    expect(over.code).toBe("CONFLICT");
    expect(over.message).toMatch(/refund/i);
    expect(await paymentFootprint(app)).toEqual(before);

    const entries = await ledgerFor(app, payment.id);
    const byAccount = (account: string) =>
      entries.filter((e) => e.account === account).reduce((s, e) => s + e.amount, 0);
    expect(byAccount("provider_balance:sandbox")).toBe(0);
    expect(byAccount("sales")).toBe(-1000);
    expect(byAccount("refunds")).toBe(1000);
    expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(0);
    expect(await eventTypesFor(app, payment.id)).toEqual([
      "payment.created",
      "payment.processing",
      "payment.succeeded",
      "payment.refund_requested",
      "payment.refunded",
      "payment.refund_requested",
      "payment.refunded",
    ]);
    const detail = await as(alice).payments.byId({ id: payment.id });
    expect(detail.refunds.map((r) => r.amount)).toEqual([300, 700]);
    expect(detail.refundableAmount).toBe(0);
  });

  it("refuses a refund above what remains, and one of a payment not captured, writing nothing", async () => {
    const payment = await succeededPayment(alice, 500);
    const declined = await as(alice).payments.create({
      amount: 500,
      currency: "USD",
      paymentMethod: "pm_card_chargeDeclined",
      idempotencyKey: newKey(),
    });
    await waitFor(async () => (await as(alice).payments.byId({ id: declined.id })).status === "failed", "decline");
    await quiet(app);
    const before = await paymentFootprint(app);

    const tooMuch = await errorOf(
      as(alice).payments.refund({ paymentId: payment.id, amount: 501, idempotencyKey: newKey() }),
    );
    expect(tooMuch.code).toBe("CONFLICT");
    expect(tooMuch.message).toContain("at most $5.00");
    const notCaptured = await errorOf(as(alice).payments.refund({ paymentId: declined.id, idempotencyKey: newKey() }));
    expect(notCaptured.code).toBe("CONFLICT");
    expect(notCaptured.message).toMatch(/failed/);
    expect(
      await codeOf(as(alice).payments.refund({ paymentId: payment.id, amount: 0, idempotencyKey: newKey() })),
    ).toBe("BAD_REQUEST");
    expect(await paymentFootprint(app)).toEqual(before);
  });

  it("replays a refund for the same key without refunding twice, and refuses the key for another amount", async () => {
    const payment = await succeededPayment(alice, 900);
    const key = newKey();
    const calls = sandboxOf(app).stats().refundCalls;
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map(() => as(alice).payments.refund({ paymentId: payment.id, amount: 200, idempotencyKey: key })),
    );
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(sandboxOf(app).stats().refundCalls).toBe(calls + 1);
    expect((await as(alice).payments.byId({ id: payment.id })).refundedAmount).toBe(200);
    const other = await errorOf(as(alice).payments.refund({ paymentId: payment.id, amount: 300, idempotencyKey: key }));
    expect(other.code).toBe("CONFLICT");
    expect(other.message).toMatch(/different parameters/);
  });

  it("never refunds more than remains, even when refunds race", async () => {
    const payment = await succeededPayment(alice, 1000);
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        codeOf(as(alice).payments.refund({ paymentId: payment.id, amount: 400, idempotencyKey: newKey() })),
      ),
    );
    expect(outcomes.filter((o) => o === "OK")).toHaveLength(2);
    expect(outcomes.filter((o) => o === "CONFLICT")).toHaveLength(4);
    expect((await as(alice).payments.byId({ id: payment.id })).refundedAmount).toBe(800);
  });

  it("hides one user's payments from another: not found, not listed, not refundable, not watchable", async () => {
    const payment = await succeededPayment(alice, 700);
    expect(await codeOf(as(bob).payments.byId({ id: payment.id }))).toBe("NOT_FOUND");
    expect(await codeOf(as(bob).payments.refund({ paymentId: payment.id, idempotencyKey: newKey() }))).toBe(
      "NOT_FOUND",
    );
    const stream = await as(bob).payments.onPayment({ paymentId: payment.id });
    expect(await codeOf(stream[Symbol.asyncIterator]().next())).toBe("NOT_FOUND");
    const bobs = await as(bob).payments.list({ pageSize: 100 });
    expect(bobs.items.some((p) => p.id === payment.id)).toBe(false);
    const alices = await as(alice).payments.list({ pageSize: 100 });
    expect(alices.items.every((p) => p.ownerId === alices.items[0]?.ownerId)).toBe(true);
    expect((await as(alice).payments.byId({ id: payment.id })).status).toBe("succeeded");
  });

  it("lets guests look but not pay or refund", async () => {
    expect((await as(guest).payments.list({})).total).toBe(0);
    expect(
      await codeOf(
        as(guest).payments.create({
          amount: 1,
          currency: "USD",
          paymentMethod: "pm_card_visa",
          idempotencyKey: newKey(),
        }),
      ),
    ).toBe("FORBIDDEN");
    const payment = await succeededPayment(alice, 100);
    expect(await codeOf(as(guest).payments.refund({ paymentId: payment.id, idempotencyKey: newKey() }))).toBe(
      "FORBIDDEN",
    );
  });

  it("lets an admin see everyone's payments, refund any of them, and read the balanced ledger", async () => {
    const payment = await succeededPayment(bob, 2500, "GBP");
    const all = await as(admin).payments.list({
      pageSize: 100,
      filter: [{ field: "ownerId", op: "eq", value: payment.ownerId }],
    });
    expect(all.items.map((p) => p.id)).toContain(payment.id);
    expect((await as(admin).payments.list({ pageSize: 100 })).total).toBeGreaterThan(all.total);
    expect((await as(admin).payments.byId({ id: payment.id })).amount).toBe(2500);

    const refunded = await as(admin).payments.refund({ paymentId: payment.id, amount: 1000, idempotencyKey: newKey() });
    expect(refunded.payment).toMatchObject({ status: "partially_refunded", refundedAmount: 1000 });

    const ledger = await as(admin).payments.ledger({
      pageSize: 50,
      filter: [{ field: "paymentId", op: "eq", value: payment.id }],
    });
    expect(ledger.entries.items).toHaveLength(4);
    expect(ledger.totals.every((t) => t.total === 0)).toBe(true);
    const gbp = Object.fromEntries(
      ledger.balances.filter((b) => b.currency === "GBP").map((b) => [b.account, b.balance]),
    );
    expect(gbp).toEqual({ "provider_balance:sandbox": 1500, refunds: 1000, sales: -2500 });
  });

  it("pages, sorts and filters a user's payments", async () => {
    const { token } = await app.signup({ name: "Pager" });
    for (const amount of [300, 100, 200]) {
      await as(token).payments.create({
        amount,
        currency: "USD",
        paymentMethod: "pm_card_visa",
        idempotencyKey: newKey(),
      });
    }
    const sorted = await as(token).payments.list({ sort: { field: "amount", direction: "asc" }, pageSize: 2 });
    expect(sorted.total).toBe(3);
    expect(sorted.items.map((p) => p.amount)).toEqual([100, 200]);
    const page2 = await as(token).payments.list({ sort: { field: "amount", direction: "asc" }, pageSize: 2, page: 2 });
    expect(page2.items.map((p) => p.amount)).toEqual([300]);
    const big = await as(token).payments.list({ filter: [{ field: "amount", op: "gte", value: 200 }] });
    expect(big.total).toBe(2);
  });
});
