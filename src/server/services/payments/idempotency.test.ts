import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { IdempotencyKeysRepository } from "../../repositories/idempotency-keys.js";
import type { TestApp } from "../../testing/app.js";
import {
  codeOf,
  createPaymentsTestApp,
  errorOf,
  newKey,
  paymentFootprint,
  paymentsOf,
  sandboxOf,
  waitFor,
} from "../../testing/payments.js";
import { CREATE_SCOPE } from "./create-payment.js";
import { fingerprintOf, IDEMPOTENCY_RETENTION_MS } from "./idempotency.js";
import { ProviderUnavailable } from "./provider.js";

/** Stripe's promise for idempotency keys, held by `payments.create`. */
describe("idempotent payments", () => {
  let app: TestApp;
  let token: string;
  let userId: string;
  const caller = () => app.caller({ token });
  const input = (idempotencyKey: string, amount = 1999) => ({
    amount,
    currency: "USD",
    paymentMethod: "pm_card_visa",
    description: "Order 42",
    idempotencyKey,
  });

  beforeAll(async () => {
    app = await createPaymentsTestApp();
    ({ token, userId } = await app.signup());
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers 50 concurrent creates with one key with one charge and 50 identical payments", async () => {
    const key = newKey();
    const before = sandboxOf(app).stats();
    const footprint = await paymentFootprint(app);

    const answers = await Promise.all(Array.from({ length: 50 }, () => caller().payments.create(input(key))));

    const after = sandboxOf(app).stats();
    expect(after.chargeCalls - before.chargeCalls).toBe(1);
    expect(after.charges - before.charges).toBe(1);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.status).toBe("processing");
    expect((await paymentFootprint(app)).payments).toBe(footprint.payments + 1);

    // Later, once the payment has moved on, the key still gives the original answer.
    const id = answers[0]?.id ?? "";
    await waitFor(async () => (await caller().payments.byId({ id })).status === "succeeded", "settlement");
    expect(await caller().payments.create(input(key))).toEqual(answers[0]);
    expect(sandboxOf(app).stats().chargeCalls - before.chargeCalls).toBe(1);
  });

  it("refuses the same key with another amount (CONFLICT) and leaves the first payment alone", async () => {
    const key = newKey();
    const first = await caller().payments.create(input(key));
    const calls = sandboxOf(app).stats().chargeCalls;
    const other = await errorOf(caller().payments.create(input(key, 2000)));
    expect(other.code).toBe("CONFLICT");
    expect(other.message).toMatch(/different parameters/);
    expect(await codeOf(caller().payments.create({ ...input(key), description: "Order 43" }))).toBe("CONFLICT");
    expect(sandboxOf(app).stats().chargeCalls).toBe(calls);
    expect(await caller().payments.create(input(key))).toEqual(first);
  });

  it("keeps keys per user: another user's identical key is a new payment", async () => {
    const key = newKey();
    const mine = await caller().payments.create(input(key));
    const someoneElse = await app.signup();
    const theirs = await app.caller({ token: someoneElse.token }).payments.create(input(key));
    expect(theirs.id).not.toBe(mine.id);
  });

  it("frees the key of a refused request, so the corrected request may use it", async () => {
    const key = newKey();
    expect(await codeOf(caller().payments.create({ ...input(key), paymentMethod: "pm_card_nope" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(caller().payments.create(input(key)))).toBe("OK");
  });

  it("resumes after the provider did not answer: the retry charges once, under the same provider key", async () => {
    const sandbox = sandboxOf(app);
    const charge = vi.spyOn(sandbox, "charge").mockRejectedValueOnce(new ProviderUnavailable("connection reset"));
    try {
      const key = newKey();
      const failed = await errorOf(caller().payments.create(input(key)));
      expect(failed.code).toBe("SERVICE_UNAVAILABLE");
      expect(failed.message).toMatch(/same idempotency key/);
      const footprint = await paymentFootprint(app);

      const retried = await caller().payments.create(input(key));
      expect(retried.status).toBe("processing");
      // The pending payment of the first attempt was reused, not a second one created.
      expect((await paymentFootprint(app)).payments).toBe(footprint.payments);
      const keys = charge.mock.calls.map(([request]) => request.idempotencyKey);
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
      expect(keys[0]).toBe(`gantry-payment-${retried.id}`);
    } finally {
      charge.mockRestore();
    }
  });

  it("takes over a request whose process died (its lease ran out) and completes it once", async () => {
    const key = newKey();
    const params = {
      amount: 1999,
      currency: "USD",
      paymentMethod: "pm_card_visa",
      provider: "sandbox",
      description: "Order 42",
    };
    // What a crashed first attempt leaves behind: its key, in progress, lease expired.
    await new IdempotencyKeysRepository().insertIfAbsent(app.gantry.deps.database.db, {
      scope: CREATE_SCOPE,
      userId,
      key,
      fingerprint: fingerprintOf(CREATE_SCOPE, params),
      status: "in_progress",
      lockedUntil: new Date(Date.now() - 1000),
      expiresAt: new Date(Date.now() + IDEMPOTENCY_RETENTION_MS),
    });
    const calls = sandboxOf(app).stats().chargeCalls;
    const answers = await Promise.all([1, 2, 3].map(() => caller().payments.create(input(key))));
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]?.status).toBe("processing");
    expect(sandboxOf(app).stats().chargeCalls).toBe(calls + 1);
  });

  it("keeps keys for 24 hours, then lets the purge forget them", async () => {
    const key = newKey();
    const first = await caller().payments.create(input(key));
    const payments = paymentsOf(app);
    expect(await payments.purgeIdempotencyKeys(new Date(Date.now() + IDEMPOTENCY_RETENTION_MS - 60_000))).toBe(0);
    expect(await caller().payments.create(input(key))).toEqual(first);
    expect(
      await payments.purgeIdempotencyKeys(new Date(Date.now() + IDEMPOTENCY_RETENTION_MS + 60_000)),
    ).toBeGreaterThan(0);
    const again = await caller().payments.create(input(key));
    expect(again.id).not.toBe(first.id);
  });
});
