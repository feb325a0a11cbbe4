import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../../../testing/app.js";
import { FakeStripeServer } from "../../../testing/fake-stripe-server.js";
import { createPaymentsTestApp, newKey } from "../../../testing/payments.js";

const SECRET_KEY = "sk_test_gantry_fake_0123456789";
const WEBHOOK_SECRET = "whsec_gantry_fake_0123456789";

/**
 * Signed Stripe webhooks that are malformed, or name refunds we never made, are answered
 * 400 or acknowledged; never 500 (Stripe would retry a 500 for days).
 */
describe("stripe webhooks with unexpected payloads", () => {
  let stripe: FakeStripeServer;
  let app: TestApp;

  function webhook(type: string, object: object, event: Record<string, unknown> = {}) {
    const payload = JSON.stringify({
      id: `evt_${newKey()}`,
      object: "event",
      type,
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000),
      data: { object },
      ...event,
    });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const http = app.gantry.http;
    if (!http) throw new Error("no http server");
    return http.inject({
      method: "POST",
      url: "/webhooks/payments/stripe",
      payload,
      headers: { "content-type": "application/json", "stripe-signature": signature },
    });
  }
  const refund = (fields: Record<string, unknown>) => ({
    id: `re_${newKey()}`,
    object: "refund",
    status: "succeeded",
    amount: 100,
    currency: "eur",
    metadata: {},
    ...fields,
  });

  beforeAll(async () => {
    stripe = new FakeStripeServer(SECRET_KEY);
    const base = await stripe.start();
    app = await createPaymentsTestApp({
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: base,
    });
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.stop();
  });

  it.each([
    ["a refund id that is not a uuid", { metadata: { gantry_refund_id: "not-a-uuid" } }],
    ["a refund id we never made", { metadata: { gantry_refund_id: "00000000-0000-4000-8000-000000000000" } }],
    ["no refund id at all", { metadata: null }],
  ])("acknowledges a refund event with %s as not ours", async (_what, fields) => {
    const response = await webhook("refund.updated", refund(fields));
    expect(response.statusCode).toBe(200);
    expect(response.json().outcome).toBe("unknown_payment");
  });

  it.each([
    ["a refund without an id", "refund.updated", refund({ id: undefined })],
    ["a refund whose id holds NUL", "refund.updated", refund({ id: "re_\u0000" })],
    [
      "a payment intent without a currency",
      "payment_intent.succeeded",
      { id: "pi_1", object: "payment_intent", amount: 5 },
    ],
    [
      "a payment intent with a fractional amount",
      "payment_intent.succeeded",
      { id: "pi_1", amount: 1.5, currency: "eur" },
    ],
  ])("refuses %s with a 400 naming the field", async (_what, type, object) => {
    const response = await webhook(type, object);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/data\.object\./),
    });
  });

  it("refuses an event without an id or data with a 400", async () => {
    expect((await webhook("refund.updated", refund({}), { id: undefined })).statusCode).toBe(400);
    expect((await webhook("refund.updated", refund({}), { data: null })).statusCode).toBe(400);
  });
});
