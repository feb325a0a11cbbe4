import type { CurrencyCode } from "../../../shared/money.js";
import type { PaymentFailure, TestPaymentMethod } from "../../../shared/schemas/payments.js";

/**
 * The strategy every payment provider implements. Adding a provider is one new file under
 * `providers/` and one line in the composition root; the service never knows which one runs.
 */
export interface PaymentProvider {
  readonly id: string;
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  /** Why this method cannot be used, checked before anything is written; undefined when it may be. */
  paymentMethodProblem(paymentMethod: string): string | undefined;
  /**
   * Asks the provider to take the money. `idempotencyKey` is stable for the payment, so a
   * retried call never charges twice. Throws `ProviderRequestRejected` when the provider
   * refuses the request itself, `ProviderUnavailable` when the outcome is unknown.
   */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
  /**
   * Verifies a webhook's signature and timestamp against the raw body and reads the event.
   * Throws `WebhookRejected` with a message fit for the sender when anything is off.
   */
  verifyWebhook(request: WebhookRequest, now: Date): ProviderEvent;
}

export interface ProviderCapabilities {
  refunds: boolean;
  partialRefunds: boolean;
  asyncSettlement: boolean;
  currencies: readonly CurrencyCode[];
  testPaymentMethods: readonly TestPaymentMethod[];
}

export interface ChargeRequest {
  paymentId: string;
  amount: number;
  currency: CurrencyCode;
  paymentMethod: string;
  description: string | null;
  idempotencyKey: string;
}

export type ChargeResult =
  | { status: "processing" | "succeeded"; providerPaymentId: string }
  | { status: "failed" | "canceled"; providerPaymentId: string | null; failure: PaymentFailure };

export interface RefundRequest {
  refundId: string;
  paymentId: string;
  providerPaymentId: string;
  amount: number;
  currency: CurrencyCode;
  reason: string | null;
  idempotencyKey: string;
}

export type RefundResult =
  | { status: "succeeded" | "pending"; providerRefundId: string }
  | { status: "failed"; providerRefundId: string | null; failure: PaymentFailure };

export interface WebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** A provider's webhook, read into what Gantry cares about. `type` is the provider's own name for it. */
export type ProviderEvent =
  | {
      kind: "payment";
      eventId: string;
      type: string;
      status: "processing" | "succeeded" | "failed" | "canceled";
      /** Our id, when the provider echoes it back (metadata); otherwise found by providerPaymentId. */
      paymentId: string | null;
      providerPaymentId: string;
      amount: number | null;
      currency: string | null;
      failure: PaymentFailure | null;
    }
  | {
      kind: "refund";
      eventId: string;
      type: string;
      status: "succeeded" | "failed" | "pending";
      refundId: string | null;
      providerRefundId: string;
      failure: PaymentFailure | null;
    }
  | { kind: "ignored"; eventId: string; type: string };

/** The provider refused the request itself (bad parameters, unknown method): retrying will not help. */
export class ProviderRequestRejected extends Error {
  override name = "ProviderRequestRejected";
  constructor(
    readonly failure: PaymentFailure,
    /** Some providers create the payment before refusing it (a declined card). */
    readonly providerPaymentId: string | null = null,
  ) {
    super(failure.message);
  }
}

/** The provider could not be reached or failed: the outcome is unknown, retry with the same key. */
export class ProviderUnavailable extends Error {
  override name = "ProviderUnavailable";
}

/** A webhook that must not be trusted; the message says why, for the sender's logs. */
export class WebhookRejected extends Error {
  override name = "WebhookRejected";
}
