import { z } from "zod";
import { currencyCodes } from "../../../../shared/money.js";
import type { PaymentFailure, TestPaymentMethod } from "../../../../shared/schemas/payments.js";
import { text } from "../../../../shared/schemas/text.js";
import type { JobQueue } from "../../../core/queue/port.js";
import { sha256 } from "../../../utils/crypto.js";
import {
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
  type ProviderEvent,
  ProviderRequestRejected,
  type RefundRequest,
  type RefundResult,
  WebhookRejected,
  type WebhookRequest,
} from "../provider.js";
import { SIGNATURE_HEADER, signatureHeader, verifySignature } from "../webhook-signature.js";

/** What the sandbox's settlement job carries: everything needed to send the webhook, in any process. */
export type SandboxSettlement =
  | {
      kind: "charge";
      paymentId: string;
      providerPaymentId: string;
      amount: number;
      currency: string;
      paymentMethod: string;
    }
  | { kind: "refund"; paymentId: string; refundId: string; providerRefundId: string };

declare module "../../../core/queue/port.js" {
  interface JobPayloads {
    /** The sandbox processor settling a charge or refund: it sends the signed webhook. */
    "payments.sandbox-settle": SandboxSettlement;
  }
}

interface SandboxMethod extends TestPaymentMethod {
  failure?: PaymentFailure;
}

/** Stripe's test payment method names, so the same habits work against both providers. */
const METHODS: readonly SandboxMethod[] = [
  { id: "pm_card_visa", label: "Visa (succeeds)", outcome: "succeeds" },
  { id: "pm_card_mastercard", label: "Mastercard (succeeds)", outcome: "succeeds" },
  {
    id: "pm_card_chargeDeclined",
    label: "Declined card",
    outcome: "fails",
    failure: { code: "card_declined", message: "Your card was declined." },
  },
  {
    id: "pm_card_insufficientFunds",
    label: "Insufficient funds",
    outcome: "fails",
    failure: { code: "insufficient_funds", message: "Your card has insufficient funds." },
  },
  { id: "pm_card_delayed", label: "Visa (settles after a few seconds)", outcome: "succeeds_later" },
];

const methodById = new Map(METHODS.map((method) => [method.id, method]));

export interface SandboxProviderOptions {
  /** Where settlements are scheduled: the job outbox in the app (durable, never waits for Redis), a queue in unit tests. */
  queue: Pick<JobQueue, "enqueue">;
  webhookSecret: string;
  /** How long a charge or refund takes to settle. */
  settleDelayMs: number;
  /** How long `pm_card_delayed` takes. */
  delayedSettleMs: number;
}

export interface SandboxStats {
  /** Every charge request received, retries included. */
  chargeCalls: number;
  refundCalls: number;
  /** Distinct charges made: a retry with the same idempotency key makes none. */
  charges: number;
}

// Every string here may end up in a query: `text()` keeps NUL and broken Unicode out.
const sandboxEvent = z.object({
  id: text().min(1).max(255),
  type: text().min(1).max(100),
  created: z.number().int(),
  data: z.object({
    paymentId: z.uuid().nullable().optional(),
    providerPaymentId: text().min(1).max(255).optional(),
    amount: z.number().int().optional(),
    currency: text().max(10).optional(),
    refundId: z.uuid().nullable().optional(),
    providerRefundId: text().min(1).max(255).optional(),
    failure: z
      .object({ code: text().max(255), message: text({ multiline: true }).max(2000) })
      .nullable()
      .optional(),
  }),
});
/** A sandbox webhook body, as the sandbox sends it (tests build their own to play the provider). */
export type SandboxEvent = z.infer<typeof sandboxEvent>;

/**
 * Gantry's built-in test processor. It behaves like a real one: it answers a charge with
 * "processing", settles later (a delayed job) and reports the outcome as a signed webhook
 * through the same verification path a real provider's webhook takes. Ids are derived from
 * the idempotency key, so a retried request (in any process) names the same charge.
 */
export class SandboxProvider implements PaymentProvider {
  readonly id = "sandbox";
  readonly name = "Sandbox (test payments)";
  readonly capabilities = {
    refunds: true,
    partialRefunds: true,
    asyncSettlement: true,
    currencies: currencyCodes,
    testPaymentMethods: METHODS.map(({ id, label, outcome }) => ({ id, label, outcome })),
  };
  private readonly counts = { chargeCalls: 0, refundCalls: 0 };
  private readonly charged = new Set<string>();

  constructor(private readonly options: SandboxProviderOptions) {}

  stats(): SandboxStats {
    return { ...this.counts, charges: this.charged.size };
  }

  paymentMethodProblem(paymentMethod: string): string | undefined {
    if (methodById.has(paymentMethod)) return undefined;
    return `Unknown payment method "${paymentMethod}". The sandbox accepts ${METHODS.map((m) => m.id).join(", ")}.`;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.counts.chargeCalls += 1;
    const method = methodById.get(request.paymentMethod);
    if (!method) {
      throw new ProviderRequestRejected({
        code: "invalid_payment_method",
        message: this.paymentMethodProblem(request.paymentMethod) ?? "Unknown payment method.",
      });
    }
    const providerPaymentId = `pi_sbx_${sha256(request.idempotencyKey).slice(0, 24)}`;
    this.charged.add(providerPaymentId);
    // Deduplicated by id, so a retried charge schedules no second settlement.
    await this.options.queue.enqueue(
      "payments.sandbox-settle",
      {
        kind: "charge",
        paymentId: request.paymentId,
        providerPaymentId,
        amount: request.amount,
        currency: request.currency,
        paymentMethod: request.paymentMethod,
      },
      {
        idempotencyKey: providerPaymentId,
        delayMs: method.outcome === "succeeds_later" ? this.options.delayedSettleMs : this.options.settleDelayMs,
        // A real provider keeps retrying a webhook the app did not accept.
        attempts: 8,
        backoffMs: 500,
      },
    );
    return { status: "processing", providerPaymentId };
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    this.counts.refundCalls += 1;
    const providerRefundId = `re_sbx_${sha256(request.idempotencyKey).slice(0, 24)}`;
    // Card refunds succeed at once; the webhook that follows confirms it (and changes nothing).
    await this.options.queue.enqueue(
      "payments.sandbox-settle",
      { kind: "refund", paymentId: request.paymentId, refundId: request.refundId, providerRefundId },
      { idempotencyKey: providerRefundId, delayMs: this.options.settleDelayMs, attempts: 8, backoffMs: 500 },
    );
    return { status: "succeeded", providerRefundId };
  }

  /** The signed webhook a settlement sends, exactly as it would arrive over HTTP. */
  webhookFor(settlement: SandboxSettlement, now: Date): WebhookRequest {
    return this.signedWebhook(this.eventFor(settlement, now), now);
  }

  /** Signs any sandbox event; tests use it to play a provider (duplicates, late events). */
  signedWebhook(event: SandboxEvent, now: Date): WebhookRequest {
    const rawBody = Buffer.from(JSON.stringify(event));
    const timestamp = Math.floor(now.getTime() / 1000);
    return {
      rawBody,
      headers: {
        "content-type": "application/json",
        [SIGNATURE_HEADER]: signatureHeader(this.options.webhookSecret, rawBody, timestamp),
      },
    };
  }

  verifyWebhook(request: WebhookRequest, now: Date): ProviderEvent {
    verifySignature(this.options.webhookSecret, request.rawBody, request.headers[SIGNATURE_HEADER], now);
    let parsed: SandboxEvent;
    try {
      parsed = sandboxEvent.parse(JSON.parse(request.rawBody.toString("utf8")));
    } catch {
      throw new WebhookRejected("Webhook body is not a sandbox event.");
    }
    return toProviderEvent(parsed);
  }

  private eventFor(settlement: SandboxSettlement, now: Date): SandboxEvent {
    const created = Math.floor(now.getTime() / 1000);
    if (settlement.kind === "refund") {
      return {
        id: eventId(settlement.providerRefundId, "succeeded"),
        type: "refund.succeeded",
        created,
        data: {
          paymentId: settlement.paymentId,
          refundId: settlement.refundId,
          providerRefundId: settlement.providerRefundId,
        },
      };
    }
    const failure = methodById.get(settlement.paymentMethod)?.failure ?? null;
    const status = failure ? "failed" : "succeeded";
    return {
      id: eventId(settlement.providerPaymentId, status),
      type: `payment.${status}`,
      created,
      data: {
        paymentId: settlement.paymentId,
        providerPaymentId: settlement.providerPaymentId,
        amount: settlement.amount,
        currency: settlement.currency,
        failure,
      },
    };
  }
}

/** Stable per outcome, so a redelivered webhook carries the same event id and is recognised. */
function eventId(objectId: string, status: string): string {
  return `evt_sbx_${sha256(`${objectId}:${status}`).slice(0, 24)}`;
}

const paymentStatuses = {
  "payment.processing": "processing",
  "payment.succeeded": "succeeded",
  "payment.failed": "failed",
  "payment.canceled": "canceled",
} as const;
const refundStatuses = { "refund.succeeded": "succeeded", "refund.failed": "failed" } as const;

function toProviderEvent(event: SandboxEvent): ProviderEvent {
  const { data } = event;
  const paymentStatus = paymentStatuses[event.type as keyof typeof paymentStatuses];
  if (paymentStatus && data.providerPaymentId) {
    return {
      kind: "payment",
      eventId: event.id,
      type: event.type,
      status: paymentStatus,
      paymentId: data.paymentId ?? null,
      providerPaymentId: data.providerPaymentId,
      amount: data.amount ?? null,
      currency: data.currency ?? null,
      failure: data.failure ?? null,
    };
  }
  const refundStatus = refundStatuses[event.type as keyof typeof refundStatuses];
  if (refundStatus && data.providerRefundId) {
    return {
      kind: "refund",
      eventId: event.id,
      type: event.type,
      status: refundStatus,
      refundId: data.refundId ?? null,
      providerRefundId: data.providerRefundId,
      failure: data.failure ?? null,
    };
  }
  return { kind: "ignored", eventId: event.id, type: event.type };
}
