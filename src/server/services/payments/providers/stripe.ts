import Stripe from "stripe";
import { isUuid } from "../../../../shared/ids.js";
import { currencyCodes } from "../../../../shared/money.js";
import type { PaymentFailure } from "../../../../shared/schemas/payments.js";
import {
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
  type ProviderEvent,
  ProviderRequestRejected,
  ProviderUnavailable,
  type RefundRequest,
  type RefundResult,
  WebhookRejected,
  type WebhookRequest,
} from "../provider.js";
import { SIGNATURE_TOLERANCE_SECONDS } from "../webhook-signature.js";
import { checkEventShape } from "./stripe-event-shape.js";

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** e.g. `http://127.0.0.1:12111` for a local Stripe-shaped server; defaults to api.stripe.com. */
  apiBase?: string | undefined;
  /** Per request; the SDK retries network failures with the same idempotency key. */
  timeoutMs?: number;
  maxNetworkRetries?: number;
}

/** Our ids travel in Stripe metadata, so webhooks lead back to the payment even before we stored Stripe's id. */
const PAYMENT_ID = "gantry_payment_id";
const REFUND_ID = "gantry_refund_id";

/**
 * Stripe through the official SDK: a PaymentIntent created and confirmed in one call (cards
 * only, no redirects), refunds against it, and webhooks verified with `constructEvent`.
 */
export class StripeProvider implements PaymentProvider {
  readonly id = "stripe";
  readonly name = "Stripe";
  readonly capabilities = {
    refunds: true,
    partialRefunds: true,
    asyncSettlement: true,
    currencies: currencyCodes,
    testPaymentMethods: [],
  };
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeProviderOptions) {
    const base = options.apiBase ? new URL(options.apiBase) : undefined;
    this.stripe = new Stripe(options.secretKey, {
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: options.timeoutMs ?? 15_000,
      telemetry: false,
      appInfo: { name: "Gantry" },
      ...(base
        ? {
            host: base.hostname,
            port: base.port || (base.protocol === "http:" ? 80 : 443),
            protocol: base.protocol === "http:" ? "http" : "https",
          }
        : {}),
    });
  }

  paymentMethodProblem(paymentMethod: string): string | undefined {
    return /^pm_[A-Za-z0-9_]{1,200}$/.test(paymentMethod)
      ? undefined
      : `Unknown payment method "${paymentMethod}": Stripe payment methods look like pm_…`;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency.toLowerCase(),
          payment_method: request.paymentMethod,
          confirm: true,
          automatic_payment_methods: { enabled: true, allow_redirects: "never" },
          ...(request.description ? { description: request.description } : {}),
          metadata: { [PAYMENT_ID]: request.paymentId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return chargeResultOf(intent);
    } catch (error) {
      // A declined card is an answer, not an error: the intent exists and has failed.
      if (error instanceof Stripe.errors.StripeCardError) {
        return {
          status: "failed",
          providerPaymentId: error.payment_intent?.id ?? null,
          failure: { code: error.decline_code ?? error.code ?? "card_declined", message: error.message },
        };
      }
      throw translate(error);
    }
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    try {
      const refund = await this.stripe.refunds.create(
        {
          payment_intent: request.providerPaymentId,
          amount: request.amount,
          reason: "requested_by_customer",
          metadata: { [PAYMENT_ID]: request.paymentId, [REFUND_ID]: request.refundId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return refundResultOf(refund);
    } catch (error) {
      throw translate(error);
    }
  }

  verifyWebhook(request: WebhookRequest, now: Date): ProviderEvent {
    const header = request.headers["stripe-signature"];
    if (typeof header !== "string" || header.length === 0) {
      throw new WebhookRejected("Missing stripe-signature header.");
    }
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        request.rawBody,
        header,
        this.options.webhookSecret,
        SIGNATURE_TOLERANCE_SECONDS,
        undefined,
        now.getTime(),
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : "invalid signature";
      throw new WebhookRejected(`Stripe webhook refused: ${reason}`);
    }
    checkEventShape(event);
    return toProviderEvent(event);
  }
}

function chargeResultOf(intent: Stripe.PaymentIntent): ChargeResult {
  switch (intent.status) {
    case "succeeded":
      return { status: "succeeded", providerPaymentId: intent.id };
    case "processing":
    case "requires_capture":
      return { status: "processing", providerPaymentId: intent.id };
    case "canceled":
      return {
        status: "canceled",
        providerPaymentId: intent.id,
        failure: { code: intent.cancellation_reason ?? "canceled", message: "The payment was canceled." },
      };
    case "requires_action":
    case "requires_confirmation":
      return {
        status: "failed",
        providerPaymentId: intent.id,
        failure: {
          code: "authentication_required",
          message: "This card needs the payer to authenticate, which Gantry does not support yet.",
        },
      };
    default:
      return { status: "failed", providerPaymentId: intent.id, failure: failureOf(intent) };
  }
}

function failureOf(intent: Stripe.PaymentIntent): PaymentFailure {
  const error = intent.last_payment_error;
  return {
    code: error?.decline_code ?? error?.code ?? "payment_failed",
    message: error?.message ?? "The payment failed.",
  };
}

function refundResultOf(refund: Stripe.Refund): RefundResult {
  if (refund.status === "succeeded") return { status: "succeeded", providerRefundId: refund.id };
  if (refund.status === "failed" || refund.status === "canceled") {
    return {
      status: "failed",
      providerRefundId: refund.id,
      failure: { code: refund.failure_reason ?? "refund_failed", message: "The refund failed at Stripe." },
    };
  }
  return { status: "pending", providerRefundId: refund.id };
}

/** Stripe's errors, sorted into "it said no" (no retry helps) and "we do not know" (retry with the same key). */
function translate(error: unknown): Error {
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    return new ProviderRequestRejected(
      { code: error.code ?? "invalid_request", message: error.message },
      error.payment_intent?.id ?? null,
    );
  }
  if (error instanceof Stripe.errors.StripeError) {
    return new ProviderUnavailable(`Stripe: ${error.type}: ${error.message}`);
  }
  return new ProviderUnavailable(error instanceof Error ? error.message : String(error));
}

function toProviderEvent(event: Stripe.Event): ProviderEvent {
  switch (event.type) {
    case "payment_intent.processing":
    case "payment_intent.succeeded":
    case "payment_intent.payment_failed":
    case "payment_intent.canceled": {
      const intent = event.data.object;
      const status = (
        {
          "payment_intent.processing": "processing",
          "payment_intent.succeeded": "succeeded",
          "payment_intent.payment_failed": "failed",
          "payment_intent.canceled": "canceled",
        } as const
      )[event.type];
      return {
        kind: "payment",
        eventId: event.id,
        type: event.type,
        status,
        // Metadata is whatever was set on the intent; only a well-formed id may reach a lookup.
        paymentId: uuidOrNull(intent.metadata?.[PAYMENT_ID]),
        providerPaymentId: intent.id,
        amount: intent.amount,
        currency: intent.currency.toUpperCase(),
        failure: status === "failed" || status === "canceled" ? failureOf(intent) : null,
      };
    }
    case "refund.created":
    case "refund.updated":
    case "refund.failed":
    case "charge.refund.updated": {
      const refund = event.data.object;
      const result = refundResultOf(refund);
      return {
        kind: "refund",
        eventId: event.id,
        type: event.type,
        status: result.status,
        // Metadata is only a hint, as for payments: only a well-formed id may reach a lookup.
        refundId: uuidOrNull(refund.metadata?.[REFUND_ID]),
        providerRefundId: refund.id,
        failure: result.status === "failed" ? result.failure : null,
      };
    }
    default:
      return { kind: "ignored", eventId: event.id, type: event.type };
  }
}

function uuidOrNull(value: string | undefined): string | null {
  return isUuid(value) ? value : null;
}
