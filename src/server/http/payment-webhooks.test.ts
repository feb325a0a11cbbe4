import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Payment } from "../../shared/schemas/payments.js";
import type { WebhookRequest } from "../services/payments/provider.js";
import type { SandboxEvent } from "../services/payments/providers/sandbox.js";
import { SIGNATURE_HEADER, signatureHeader } from "../services/payments/webhook-signature.js";
import type { TestApp } from "../testing/app.js";
import { createPaymentsTestApp, eventTypesFor, newKey, paymentFootprint, sandboxOf } from "../testing/payments.js";

const SECRET = "whsec_sandbox_test_secret_0123456789";
const FIVE_MINUTES = 5 * 60 * 1000;

/**
 * `POST /webhooks/payments/:provider` over HTTP, with the test playing the provider: the
 * sandbox never settles by itself here (its delay is an hour), so every webhook is ours.
 */
describe("payment webhooks", () => {
  let app: TestApp;
  let http: FastifyInstance;
  let token: string;

  const post = (provider: string, request: WebhookRequest) =>
    http.inject({
      method: "POST",
      url: `/webhooks/payments/${provider}`,
      payload: request.rawBody,
      headers: request.headers as Record<string, string>,
    });

  async function processingPayment(amount = 1500): Promise<Payment> {
    return app.caller({ token }).payments.create({
      amount,
      currency: "USD",
      paymentMethod: "pm_card_visa",
      idempotencyKey: newKey(),
    });
  }

  function event(payment: Payment, type: string, now = new Date(), id = `evt_${newKey()}`) {
    return {
      id,
      type,
      created: Math.floor(now.getTime() / 1000),
      data: {
        paymentId: payment.id,
        providerPaymentId: payment.providerPaymentId ?? undefined,
        amount: payment.amount,
        currency: payment.currency,
        failure: type === "payment.failed" ? { code: "card_declined", message: "Your card was declined." } : null,
      },
    };
  }

  const signed = (body: SandboxEvent, now = new Date()) => sandboxOf(app).signedWebhook(body, now);
  const statusOf = async (id: string) => (await app.caller({ token }).payments.byId({ id })).status;

  beforeAll(async () => {
    app = await createPaymentsTestApp({ SANDBOX_SETTLE_DELAY_MS: "3600000", SANDBOX_WEBHOOK_SECRET: SECRET });
    const server = app.gantry.http;
    if (!server) throw new Error("no http server");
    http = server;
    ({ token } = await app.signup());
  });
  afterAll(async () => {
    await app?.close();
  });

  it("applies a correctly signed webhook from the raw body", async () => {
    const payment = await processingPayment();
    const response = await post("sandbox", signed(event(payment, "payment.succeeded")));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: true, outcome: "applied" });
    expect(await statusOf(payment.id)).toBe("succeeded");
  });

  describe("refuses what it cannot trust, and changes nothing", () => {
    async function expectRefused(request: WebhookRequest, message: RegExp, payment: Payment) {
      const before = await paymentFootprint(app);
      const response = await post("sandbox", request);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe("BAD_REQUEST");
      expect(response.json().error.message).toMatch(message);
      expect(await paymentFootprint(app)).toEqual(before);
      expect(await statusOf(payment.id)).toBe("processing");
    }

    it("a forged signature (another secret)", async () => {
      const payment = await processingPayment();
      const rawBody = Buffer.from(JSON.stringify(event(payment, "payment.succeeded")));
      const forged = signatureHeader("whsec_an_attacker_guess_000000000", rawBody, Math.floor(Date.now() / 1000));
      await expectRefused({ rawBody, headers: { [SIGNATURE_HEADER]: forged } }, /signature does not match/, payment);
    });

    it("a re-serialised body (same JSON, other bytes)", async () => {
      const payment = await processingPayment();
      const original = signed(event(payment, "payment.succeeded"));
      const reserialised = Buffer.from(JSON.stringify(JSON.parse(original.rawBody.toString("utf8")), null, 2));
      await expectRefused({ ...original, rawBody: reserialised }, /signature does not match/, payment);
    });

    it("a tampered amount under the original signature", async () => {
      const payment = await processingPayment();
      const original = signed(event(payment, "payment.succeeded"));
      const tampered = Buffer.from(original.rawBody.toString("utf8").replace('"amount":1500', '"amount":15'));
      await expectRefused({ ...original, rawBody: tampered }, /signature does not match/, payment);
    });

    it("a stale timestamp, or one from the future, beyond five minutes", async () => {
      const payment = await processingPayment();
      const old = new Date(Date.now() - FIVE_MINUTES - 10_000);
      await expectRefused(signed(event(payment, "payment.succeeded", old), old), /5-minute tolerance/, payment);
      const future = new Date(Date.now() + FIVE_MINUTES + 10_000);
      await expectRefused(signed(event(payment, "payment.succeeded", future), future), /5-minute tolerance/, payment);
    });

    it("a missing or malformed signature header", async () => {
      const payment = await processingPayment();
      const rawBody = Buffer.from(JSON.stringify(event(payment, "payment.succeeded")));
      await expectRefused(
        { rawBody, headers: { "content-type": "application/json" } },
        /Missing gantry-signature/,
        payment,
      );
      await expectRefused({ rawBody, headers: { [SIGNATURE_HEADER]: "sha256=abc" } }, /Malformed/, payment);
    });
  });

  it("answers 404 for a provider that is not enabled", async () => {
    const payment = await processingPayment();
    const request = signed(event(payment, "payment.succeeded"));
    expect((await post("stripe", request)).statusCode).toBe(404);
    expect((await post("paypal", request)).statusCode).toBe(404);
  });

  it("treats a replayed event id as a no-op, even when re-signed with other content", async () => {
    const payment = await processingPayment();
    const first = event(payment, "payment.succeeded");
    expect((await post("sandbox", signed(first))).json().outcome).toBe("applied");
    const before = await paymentFootprint(app);

    const replay = await post("sandbox", signed(first));
    expect(replay.statusCode).toBe(200);
    expect(replay.json().outcome).toBe("duplicate");
    const sneaky = await post("sandbox", signed(event(payment, "payment.failed", new Date(), first.id)));
    expect(sneaky.json().outcome).toBe("duplicate");

    expect(await paymentFootprint(app)).toEqual(before);
    expect(await statusOf(payment.id)).toBe("succeeded");
  });

  it("never moves a payment backwards: late or contradicting events are stale", async () => {
    const payment = await processingPayment();
    await post("sandbox", signed(event(payment, "payment.succeeded")));
    const before = await paymentFootprint(app);
    for (const late of ["payment.processing", "payment.failed", "payment.canceled"]) {
      const response = await post("sandbox", signed(event(payment, late)));
      expect(response.json().outcome, late).toBe("stale");
    }
    expect(await statusOf(payment.id)).toBe("succeeded");
    const after = await paymentFootprint(app);
    // Each event id is remembered; nothing else was written.
    expect(after).toEqual({ ...before, webhookEvents: before.webhookEvents + 3 });
  });

  it("lets a settlement that overtakes the charge's own answer win, passing through every status", async () => {
    const sandbox = sandboxOf(app);
    const providerPaymentId = "pi_sbx_overtaken";
    const charge = vi.spyOn(sandbox, "charge").mockImplementationOnce(async (request) => {
      // The provider's webhook lands before its answer to our request does.
      const early = {
        id: `evt_${newKey()}`,
        type: "payment.succeeded",
        created: Math.floor(Date.now() / 1000),
        data: { paymentId: request.paymentId, providerPaymentId, amount: request.amount, currency: request.currency },
      };
      expect((await post("sandbox", signed(early))).json().outcome).toBe("applied");
      return { status: "processing", providerPaymentId };
    });
    try {
      const created = await processingPayment();
      expect(created).toMatchObject({ status: "succeeded", providerPaymentId });
      expect(await eventTypesFor(app, created.id)).toEqual([
        "payment.created",
        "payment.processing",
        "payment.succeeded",
      ]);
    } finally {
      charge.mockRestore();
    }
  });

  it("ignores an event whose amount disagrees with the payment", async () => {
    const payment = await processingPayment(1500);
    const lying = event(payment, "payment.succeeded");
    lying.data.amount = 1;
    expect((await post("sandbox", signed(lying))).json().outcome).toBe("mismatch");
    expect(await statusOf(payment.id)).toBe("processing");
  });
});
