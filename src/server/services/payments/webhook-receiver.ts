import type { Actor } from "../../../shared/events.js";
import type { Logger } from "../../core/logger.js";
import type { Database, Executor } from "../../db/database.js";
import type { PaymentRefundsRepository } from "../../repositories/payment-refunds.js";
import type { PaymentRow, PaymentsRepository } from "../../repositories/payments.js";
import type { WebhookEventsRepository } from "../../repositories/webhook-events.js";
import { DomainError, notFound } from "../errors.js";
import type { PaymentLifecycle } from "./lifecycle.js";
import { type PaymentProvider, type ProviderEvent, WebhookRejected, type WebhookRequest } from "./provider.js";
import type { PaymentProviders } from "./provider-registry.js";

/**
 * applied: the payment or refund moved. stale: it was already there or further (a late or
 * contradicting event). ignored: an event type we do not act on. unknown_payment: not ours.
 * mismatch: amount or currency disagree with our record. duplicate: this event id was handled.
 */
export type WebhookOutcome = "applied" | "stale" | "ignored" | "unknown_payment" | "mismatch" | "duplicate";

export interface WebhookReceiverDeps {
  db: Database;
  payments: PaymentsRepository;
  refunds: PaymentRefundsRepository;
  webhookEvents: WebhookEventsRepository;
  lifecycle: PaymentLifecycle;
  providers: PaymentProviders;
  logger: Logger;
}

/**
 * The one path every provider webhook takes, whether it came over HTTP or from the sandbox's
 * settlement job: verify the signature on the raw body, then in one transaction claim the
 * event id (a replay stops here) and apply it.
 */
export class WebhookReceiver {
  constructor(private readonly deps: WebhookReceiverDeps) {}

  async receive(providerId: string, request: WebhookRequest, now = new Date()): Promise<WebhookOutcome> {
    const provider = this.deps.providers.get(providerId);
    if (!provider) throw notFound("Payment provider");
    let event: ProviderEvent;
    try {
      event = provider.verifyWebhook(request, now);
    } catch (error) {
      if (error instanceof WebhookRejected) throw new DomainError("BAD_REQUEST", error.message);
      throw error;
    }
    const outcome = await this.deps.db.transaction(async (tx) => {
      const claimed = await this.deps.webhookEvents.claim(tx, {
        provider: provider.id,
        eventId: event.eventId,
        type: event.type,
      });
      if (!claimed) return { outcome: "duplicate" as const, paymentId: null };
      const result = await this.apply(tx, provider, event);
      await this.deps.webhookEvents.setOutcome(tx, claimed.id, result.outcome, result.paymentId);
      return result;
    });
    this.deps.logger.debug({ provider: providerId, eventId: event.eventId, type: event.type, ...outcome }, "webhook");
    return outcome.outcome;
  }

  private async apply(
    tx: Executor,
    provider: PaymentProvider,
    event: ProviderEvent,
  ): Promise<{ outcome: WebhookOutcome; paymentId: string | null }> {
    const actor: Actor = { kind: "system", id: `provider:${provider.id}` };
    if (event.kind === "ignored") return { outcome: "ignored", paymentId: null };

    if (event.kind === "payment") {
      const payment = await this.findPayment(tx, provider.id, event.paymentId, event.providerPaymentId);
      if (!payment) return { outcome: "unknown_payment", paymentId: null };
      if (
        (event.amount !== null && event.amount !== payment.amount) ||
        (event.currency !== null && event.currency !== payment.currency)
      ) {
        this.deps.logger.warn({ paymentId: payment.id, eventId: event.eventId }, "webhook amount or currency mismatch");
        return { outcome: "mismatch", paymentId: payment.id };
      }
      const { moved } = await this.deps.lifecycle.settle(
        tx,
        payment,
        event.status,
        { providerPaymentId: event.providerPaymentId, failure: event.failure },
        actor,
      );
      return { outcome: moved ? "applied" : "stale", paymentId: payment.id };
    }

    // Locks are always taken payment first, then refund (as refund-payment.ts does): a webhook
    // that locked the refund first deadlocked against a refund of the same payment in flight.
    const named =
      (event.refundId ? await this.deps.refunds.findById(tx, event.refundId) : undefined) ??
      (await this.deps.refunds.findByProviderId(tx, event.providerRefundId));
    if (!named) return { outcome: "unknown_payment", paymentId: null };
    const payment = await this.deps.payments.lock(tx, named.paymentId);
    if (!payment || payment.provider !== provider.id) return { outcome: "unknown_payment", paymentId: null };
    const refund = await this.deps.refunds.lock(tx, named.id);
    if (!refund) return { outcome: "unknown_payment", paymentId: null };
    if (refund.providerRefundId && refund.providerRefundId !== event.providerRefundId) {
      this.deps.logger.warn({ refundId: refund.id, eventId: event.eventId }, "webhook names another provider refund");
      return { outcome: "mismatch", paymentId: payment.id };
    }
    if (refund.status !== "pending" || event.status === "pending") {
      if (!refund.providerRefundId)
        await this.deps.refunds.update(tx, refund.id, { providerRefundId: event.providerRefundId });
      return { outcome: "stale", paymentId: payment.id };
    }
    if (event.status === "succeeded") {
      await this.deps.lifecycle.refundSucceeded(tx, payment, refund, event.providerRefundId, actor);
    } else {
      const failure = event.failure ?? { code: "refund_failed", message: "The refund failed." };
      await this.deps.lifecycle.refundFailed(tx, payment, refund, failure, event.providerRefundId, actor);
    }
    return { outcome: "applied", paymentId: payment.id };
  }

  /** Our id (echoed in metadata) first, the provider's id otherwise; locked either way. */
  private async findPayment(
    tx: Executor,
    providerId: string,
    paymentId: string | null,
    providerPaymentId: string,
  ): Promise<PaymentRow | undefined> {
    if (paymentId) {
      const byId = await this.deps.payments.lock(tx, paymentId);
      // Metadata is only a hint: it must agree with the provider's own id once we know it.
      const agrees = byId && byId.provider === providerId;
      if (agrees && (!byId.providerPaymentId || byId.providerPaymentId === providerPaymentId)) return byId;
    }
    return this.deps.payments.lockByProviderId(tx, providerId, providerPaymentId);
  }
}
