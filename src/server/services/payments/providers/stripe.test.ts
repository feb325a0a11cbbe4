import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../../../testing/app.js";
import { FakeStripeServer } from "../../../testing/fake-stripe-server.js";
import {
  codeOf,
  createPaymentsTestApp,
  errorOf,
  eventTypesFor,
  ledgerFor,
  newKey,
  paymentFootprint,
} from "../../../testing/payments.js";

const SECRET_KEY = "sk_test_gantry_fake_0123456789";
const WEBHOOK_SECRET = "whsec_gantry_fake_0123456789";

/** The Stripe adapter, through the official SDK, against a Stripe-shaped server started here. */
describe("stripe provider", () => {
  let stripe: FakeStripeServer;
  let app: TestApp;
  let http: NonNullable<TestApp["gantry"]["http"]>;
  let token: string;
  const caller = () => app.caller({ token });
  const pay = (paymentMethod: string, amount = 2000, idempotencyKey = newKey()) =>
    caller().payments.create({ amount, currency: "EUR", paymentMethod, provider: "stripe", idempotencyKey });

  /** A webhook as Stripe sends it: a JSON event, signed over `t.body` with the endpoint secret. */
  function webhook(type: string, object: object, options: { id?: string; secret?: string; at?: number } = {}) {
    const payload = JSON.stringify({
      id: options.id ?? `evt_${newKey()}`,
      object: "event",
      type,
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000),
      data: { object },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? WEBHOOK_SECRET,
      ...(options.at ? { timestamp: options.at } : {}),
    });
    return http.inject({
      method: "POST",
      url: "/webhooks/payments/stripe",
      payload,
      headers: { "content-type": "application/json", "stripe-signature": signature },
    });
  }

  beforeAll(async () => {
    stripe = new FakeStripeServer(SECRET_KEY);
    const base = await stripe.start();
    app = await createPaymentsTestApp({
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: base,
    });
    const server = app.gantry.http;
    if (!server) throw new Error("no http server");
    http = server;
    ({ token } = await app.signup());
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.stop();
  });

  it("is enabled by its two secrets, next to the default sandbox", async () => {
    const info = await caller().payments.providers();
    expect(info.defaultProvider).toBe("sandbox");
    expect(info.providers.map((p) => p.id)).toEqual(["sandbox", "stripe"]);
  });

  it("creates and confirms a PaymentIntent with our ids and key, and books a card that succeeds at once", async () => {
    const payment = await pay("pm_card_visa", 2000);
    expect(payment).toMatchObject({ status: "succeeded", provider: "stripe" });
    expect(payment.providerPaymentId).toMatch(/^pi_/);

    const [request] = stripe
      .calls("/v1/payment_intents")
      .filter((r) => r.params.get("metadata[gantry_payment_id]") === payment.id);
    expect(request?.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(request?.idempotencyKey).toBe(`gantry-payment-${payment.id}`);
    expect(Object.fromEntries(request?.params ?? [])).toMatchObject({
      amount: "2000",
      currency: "eur",
      payment_method: "pm_card_visa",
      confirm: "true",
    });
    const entries = await ledgerFor(app, payment.id);
    expect(entries.map((e) => [e.account, e.amount]).sort()).toEqual([
      ["provider_balance:stripe", 2000],
      ["sales", -2000],
    ]);
    // Stripe's own webhook for it arrives later and changes nothing.
    const late = await webhook("payment_intent.succeeded", stripe.intents.get(payment.providerPaymentId ?? "") ?? {});
    expect(late.json()).toEqual({ received: true, outcome: "stale" });
  });

  it("records a declined card as a failed payment with Stripe's reason", async () => {
    const payment = await pay("pm_card_chargeDeclined");
    expect(payment).toMatchObject({
      status: "failed",
      failure: { code: "generic_decline", message: "Your card was declined." },
    });
    expect(payment.providerPaymentId).toMatch(/^pi_/);
    expect(await ledgerFor(app, payment.id)).toEqual([]);
  });

  it("refuses a malformed payment method before calling Stripe, and fails one Stripe does not know", async () => {
    const calls = stripe.requests.length;
    const before = await paymentFootprint(app);
    expect(await codeOf(pay("card_4242"))).toBe("BAD_REQUEST");
    expect(stripe.requests.length).toBe(calls);
    expect(await paymentFootprint(app)).toEqual(before);

    const unknown = await pay("pm_does_not_exist");
    expect(unknown).toMatchObject({ status: "failed", failure: { code: "resource_missing" } });
  });

  it("settles an asynchronous payment from a verified webhook, once", async () => {
    const payment = await pay("pm_fake_async", 3100);
    expect(payment.status).toBe("processing");
    const intent = { ...stripe.intents.get(payment.providerPaymentId ?? ""), status: "succeeded" };
    const id = `evt_${newKey()}`;

    const first = await webhook("payment_intent.succeeded", intent, { id });
    expect(first.statusCode).toBe(200);
    expect(first.json().outcome).toBe("applied");
    expect((await caller().payments.byId({ id: payment.id })).status).toBe("succeeded");
    expect((await webhook("payment_intent.succeeded", intent, { id })).json().outcome).toBe("duplicate");
    expect(await eventTypesFor(app, payment.id)).toEqual([
      "payment.created",
      "payment.processing",
      "payment.succeeded",
    ]);
  });

  it("refuses a webhook signed with another secret, or too old, through constructEvent", async () => {
    const payment = await pay("pm_fake_async", 1200);
    const intent = { ...stripe.intents.get(payment.providerPaymentId ?? ""), status: "succeeded" };
    const forged = await webhook("payment_intent.succeeded", intent, { secret: "whsec_somebody_else_000" });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.message).toMatch(/signature/i);
    const stale = await webhook("payment_intent.succeeded", intent, { at: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().error.message).toMatch(/tolerance/i);
    const unsigned = await http.inject({ method: "POST", url: "/webhooks/payments/stripe", payload: "{}" });
    expect(unsigned.statusCode).toBe(400);
    expect((await caller().payments.byId({ id: payment.id })).status).toBe("processing");
  });

  it("refunds through Stripe with the refund's own key, and books a pending refund when its webhook says so", async () => {
    const payment = await pay("pm_card_visa", 5000);
    const partial = await caller().payments.refund({ paymentId: payment.id, amount: 1000, idempotencyKey: newKey() });
    expect(partial.payment).toMatchObject({ status: "partially_refunded", refundedAmount: 1000 });
    const [request] = stripe
      .calls("/v1/refunds")
      .filter((r) => r.params.get("metadata[gantry_refund_id]") === partial.refund.id);
    expect(request?.idempotencyKey).toBe(`gantry-refund-${partial.refund.id}`);
    expect(Object.fromEntries(request?.params ?? [])).toMatchObject({
      payment_intent: payment.providerPaymentId,
      amount: "1000",
    });

    // Stripe answers this one "pending"; the money moves when its webhook says succeeded.
    const pending = await caller().payments.refund({ paymentId: payment.id, amount: 777, idempotencyKey: newKey() });
    expect(pending.refund.status).toBe("pending");
    expect(pending.payment.refundedAmount).toBe(1000);
    const detail = await caller().payments.byId({ id: payment.id });
    expect(detail.refunds.find((r) => r.id === pending.refund.id)?.status).toBe("pending");
    // A pending refund already holds its amount: nobody can refund it twice meanwhile.
    expect(detail.refundableAmount).toBe(5000 - 1000 - 777);

    const atStripe = [...stripe.refunds.values()].find((r) => r.metadata.gantry_refund_id === pending.refund.id);
    if (!atStripe) throw new Error("Stripe never saw the refund");
    const refundEvent = (id: string) => ({
      ...atStripe,
      id,
      object: "refund",
      status: "succeeded",
      payment_intent: payment.providerPaymentId,
    });
    // One that names another Stripe refund under our id is not believed.
    expect((await webhook("refund.updated", refundEvent("re_someone_else"))).json().outcome).toBe("mismatch");
    expect((await caller().payments.byId({ id: payment.id })).refundedAmount).toBe(1000);

    const settled = await webhook("refund.updated", refundEvent(atStripe.id));
    expect(settled.json().outcome).toBe("applied");
    expect((await caller().payments.byId({ id: payment.id })).refundedAmount).toBe(1777);
  });

  it("retries a Stripe outage with the same key: the SDK's retry and ours make one charge", async () => {
    const key = newKey();
    stripe.failNext = 10;
    const down = await errorOf(pay("pm_card_visa", 4321, key));
    expect(down.code).toBe("SERVICE_UNAVAILABLE");
    stripe.failNext = 0;

    const payment = await pay("pm_card_visa", 4321, key);
    expect(payment.status).toBe("succeeded");
    const attempts = stripe
      .calls("/v1/payment_intents")
      .filter((r) => r.params.get("metadata[gantry_payment_id]") === payment.id);
    // Several HTTP attempts (SDK retries, then ours), all under one idempotency key.
    expect(attempts.length).toBeGreaterThan(1);
    expect(new Set(attempts.map((r) => r.idempotencyKey))).toEqual(new Set([`gantry-payment-${payment.id}`]));
    expect([...stripe.intents.values()].filter((i) => i.metadata.gantry_payment_id === payment.id)).toHaveLength(1);
  });
});
