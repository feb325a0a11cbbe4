import { afterEach, describe, expect, it } from "vitest";
import { MemoryJobQueue } from "../../../core/queue/memory-queue.js";
import { WebhookRejected } from "../provider.js";
import { SIGNATURE_HEADER, signatureHeader, verifySignature } from "../webhook-signature.js";
import { SandboxProvider } from "./sandbox.js";

const SECRET = "whsec_sandbox_unit_secret_0123456789";
const paymentId = "7f1c7e8e-33a3-4c53-9b5e-0d0b5a4e3c11";

describe("sandbox provider", () => {
  const queues: MemoryJobQueue[] = [];
  const sandbox = () => {
    const queue = new MemoryJobQueue();
    queues.push(queue);
    return {
      queue,
      provider: new SandboxProvider({ queue, webhookSecret: SECRET, settleDelayMs: 60_000, delayedSettleMs: 120_000 }),
    };
  };
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
  });

  const charge = (provider: SandboxProvider, paymentMethod: string, idempotencyKey = "key-1") =>
    provider.charge({ paymentId, amount: 500, currency: "USD", paymentMethod, description: null, idempotencyKey });

  it("counts every call but charges once per idempotency key, scheduling one settlement", async () => {
    const { queue, provider } = sandbox();
    const first = await charge(provider, "pm_card_visa");
    const retry = await charge(provider, "pm_card_visa");
    expect(retry).toEqual(first);
    expect(first).toMatchObject({ status: "processing" });
    expect(provider.stats()).toEqual({ chargeCalls: 2, refundCalls: 0, charges: 1 });
    expect((await queue.counts()).delayed).toBe(1);
    await charge(provider, "pm_card_visa", "key-2");
    expect(provider.stats().charges).toBe(2);
  });

  it("knows its test cards and names the others in its refusal", () => {
    const { provider } = sandbox();
    for (const method of ["pm_card_visa", "pm_card_chargeDeclined", "pm_card_insufficientFunds", "pm_card_delayed"]) {
      expect(provider.paymentMethodProblem(method)).toBeUndefined();
    }
    expect(provider.paymentMethodProblem("pm_card_amex")).toMatch(
      /Unknown payment method "pm_card_amex".*pm_card_visa/,
    );
  });

  it("reports each card's outcome in a webhook it signs and can verify", async () => {
    const { provider } = sandbox();
    const now = new Date();
    const outcomes: Record<string, unknown> = {};
    for (const method of ["pm_card_visa", "pm_card_chargeDeclined", "pm_card_insufficientFunds", "pm_card_delayed"]) {
      const result = await charge(provider, method, method);
      if (result.status !== "processing") throw new Error("expected processing");
      const request = provider.webhookFor(
        {
          kind: "charge",
          paymentId,
          providerPaymentId: result.providerPaymentId,
          amount: 500,
          currency: "USD",
          paymentMethod: method,
        },
        now,
      );
      const event = provider.verifyWebhook(request, now);
      outcomes[method] = event.kind === "payment" ? [event.status, event.failure?.code ?? null] : event.kind;
      // The same settlement always carries the same event id, so a redelivery is recognised.
      const again = provider.verifyWebhook(
        provider.webhookFor(
          {
            kind: "charge",
            paymentId,
            providerPaymentId: result.providerPaymentId,
            amount: 500,
            currency: "USD",
            paymentMethod: method,
          },
          now,
        ),
        now,
      );
      expect(again.eventId).toBe(event.eventId);
    }
    expect(outcomes).toEqual({
      pm_card_visa: ["succeeded", null],
      pm_card_chargeDeclined: ["failed", "card_declined"],
      pm_card_insufficientFunds: ["failed", "insufficient_funds"],
      pm_card_delayed: ["succeeded", null],
    });
  });

  it("refunds at once and confirms it by webhook", async () => {
    const { provider } = sandbox();
    const refundId = "0b8f6a3e-4a4c-4e8b-9d7e-1c2b3a4d5e6f";
    const result = await provider.refund({
      refundId,
      paymentId,
      providerPaymentId: "pi_sbx_x",
      amount: 100,
      currency: "USD",
      reason: null,
      idempotencyKey: "refund-key",
    });
    expect(result.status).toBe("succeeded");
    if (result.status !== "succeeded") return;
    const event = provider.verifyWebhook(
      provider.webhookFor(
        { kind: "refund", paymentId, refundId, providerRefundId: result.providerRefundId },
        new Date(),
      ),
      new Date(),
    );
    expect(event).toMatchObject({
      kind: "refund",
      status: "succeeded",
      refundId,
      providerRefundId: result.providerRefundId,
    });
  });
});

describe("webhook signature", () => {
  const body = Buffer.from('{"id":"evt_1","type":"payment.succeeded"}');
  const now = new Date("2030-01-01T00:00:00Z");
  const t = Math.floor(now.getTime() / 1000);
  const verify =
    (header: string | undefined, at = now, raw = body) =>
    () =>
      verifySignature(SECRET, raw, header, at);

  it("accepts its own signature within five minutes either way", () => {
    expect(verify(signatureHeader(SECRET, body, t))).not.toThrow();
    expect(verify(signatureHeader(SECRET, body, t - 299))).not.toThrow();
    expect(verify(signatureHeader(SECRET, body, t + 299))).not.toThrow();
  });

  it("accepts any one of several v1 signatures, so secrets can rotate", () => {
    const good = signatureHeader(SECRET, body, t).split(",")[1];
    const old = signatureHeader("whsec_previous_secret_0000000000", body, t).split(",")[1];
    expect(verify(`t=${t},${old},${good}`)).not.toThrow();
  });

  it("refuses a missing, malformed, stale, forged or mismatched one", () => {
    expect(verify(undefined)).toThrow(new WebhookRejected(`Missing ${SIGNATURE_HEADER} header.`));
    expect(verify("v1=abc")).toThrow(/Malformed/);
    expect(verify(signatureHeader(SECRET, body, t - 301))).toThrow(/tolerance/);
    expect(verify(signatureHeader("whsec_forged_0000000000000000", body, t))).toThrow(/does not match/);
    expect(verify(signatureHeader(SECRET, body, t), now, Buffer.from(`${body.toString()} `))).toThrow(/does not match/);
    // The timestamp is signed: moving it forward breaks the signature.
    const [, v1] = signatureHeader(SECRET, body, t - 600).split(",");
    expect(verify(`t=${t},${v1}`)).toThrow(/does not match/);
  });
});
