import type { Actor } from "../../../shared/events.js";
import { type CurrencyCode, formatMoney } from "../../../shared/money.js";
import { type Caller, canWrite } from "../../../shared/ownership.js";
import type { RefundPaymentInput, RefundResult } from "../../../shared/schemas/payments.js";
import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import type { Database, Transaction } from "../../db/database.js";
import type { PaymentRefundsRepository, RefundRow } from "../../repositories/payment-refunds.js";
import type { PaymentRow, PaymentsRepository } from "../../repositories/payments.js";
import { DomainError, notFound } from "../errors.js";
import { toPayment, toRefund } from "./dto.js";
import type { IdempotencyClaim, IdempotencyGuard } from "./idempotency.js";
import type { PaymentLifecycle } from "./lifecycle.js";
import {
  type PaymentProvider,
  type RefundResult as ProviderRefundResult,
  ProviderRequestRejected,
} from "./provider.js";
import type { PaymentProviders } from "./provider-registry.js";

export interface RefundPaymentDeps {
  db: Database;
  payments: PaymentsRepository;
  refunds: PaymentRefundsRepository;
  events: EventBus;
  lifecycle: PaymentLifecycle;
  providers: PaymentProviders;
  idempotency: IdempotencyGuard;
  logger: Logger;
}

const REFUND_SCOPE = "payments.refund";

/**
 * `payments.refund`: under the idempotency key, reserve the amount on the locked payment (a
 * pending refund row, so concurrent refunds can never exceed what remains), ask the provider
 * once, then book the outcome. Full refund when no amount is given.
 */
export class PaymentRefunder {
  constructor(private readonly deps: RefundPaymentDeps) {}

  refund(caller: Caller, input: RefundPaymentInput): Promise<RefundResult> {
    const params = { paymentId: input.paymentId, amount: input.amount ?? null, reason: input.reason || null };
    return this.deps.idempotency.run(
      { scope: REFUND_SCOPE, userId: caller.id, key: input.idempotencyKey, params },
      (claim) => this.run(caller, params, claim),
    );
  }

  private async run(
    caller: Caller,
    params: { paymentId: string; amount: number | null; reason: string | null },
    claim: IdempotencyClaim,
  ): Promise<RefundResult> {
    const { db, refunds, payments, lifecycle } = this.deps;
    const actor: Actor = { kind: "user", id: caller.id };
    const resumed = claim.resourceId ? await refunds.findById(db, claim.resourceId) : undefined;
    const { refund, provider } = resumed
      ? { refund: resumed, provider: await this.providerOf(resumed.paymentId) }
      : await db.transaction((tx) => this.reserve(tx, caller, params, claim, actor));

    const result =
      refund.status === "pending" && !refund.providerRefundId ? await this.askProvider(provider, refund) : undefined;

    return db.transaction(async (tx) => {
      let payment = (await payments.lock(tx, refund.paymentId)) as PaymentRow;
      let current = (await refunds.lock(tx, refund.id)) as RefundRow;
      // A webhook may have settled it meanwhile; then there is nothing left to book.
      if (result && current.status === "pending") {
        if (result.status === "succeeded") {
          ({ payment, refund: current } = await lifecycle.refundSucceeded(
            tx,
            payment,
            current,
            result.providerRefundId,
            actor,
          ));
        } else if (result.status === "failed") {
          current = await lifecycle.refundFailed(tx, payment, current, result.failure, result.providerRefundId, actor);
        } else {
          current = (await refunds.update(tx, current.id, { providerRefundId: result.providerRefundId })) ?? current;
        }
      }
      const response: RefundResult = { refund: toRefund(current), payment: toPayment(payment) };
      await claim.complete(tx, response);
      return response;
    });
  }

  /** Checks and reserves in one transaction on the locked payment; refusals here write nothing. */
  private async reserve(
    tx: Transaction,
    caller: Caller,
    params: { paymentId: string; amount: number | null; reason: string | null },
    claim: IdempotencyClaim,
    actor: Actor,
  ): Promise<{ refund: RefundRow; provider: PaymentProvider }> {
    const { payments, refunds, events, providers } = this.deps;
    const payment = await payments.lock(tx, params.paymentId);
    // Someone else's payment is "not found", never "forbidden": its existence is not ours to tell.
    if (!payment || !canWrite(caller, "payments:refund", payment)) throw notFound("Payment");
    if (payment.status !== "succeeded" && payment.status !== "partially_refunded") {
      throw new DomainError(
        "CONFLICT",
        `This payment is ${payment.status.replace("_", " ")}; only a captured payment can be refunded.`,
      );
    }
    const provider = providers.get(payment.provider);
    if (!provider?.capabilities.refunds) {
      throw new DomainError("CONFLICT", `Refunds through ${payment.provider} are not available here.`);
    }
    const currency = payment.currency as CurrencyCode;
    const remaining = payment.amount - payment.refundedAmount - (await refunds.pendingTotal(tx, payment.id));
    if (remaining <= 0) throw new DomainError("CONFLICT", "This payment has nothing left to refund.");
    const amount = params.amount ?? remaining;
    if (amount > remaining) {
      const most = formatMoney(remaining, currency, "en-US");
      throw new DomainError("CONFLICT", `The refund is more than what remains: at most ${most} can be refunded.`, {
        fieldErrors: { amount: [`At most ${most}`] },
      });
    }
    if (amount < payment.amount && !provider.capabilities.partialRefunds) {
      throw new DomainError("CONFLICT", `${provider.name} only refunds the whole payment.`);
    }
    const refund = await refunds.insert(tx, {
      paymentId: payment.id,
      requestedBy: caller.id,
      amount,
      currency,
      reason: params.reason,
    });
    await events.publish(
      tx,
      "payment.refund_requested",
      {
        paymentId: payment.id,
        userId: payment.ownerId,
        status: payment.status,
        refundId: refund.id,
        amount,
        currency,
        requestedBy: caller.id,
      },
      actor,
    );
    await claim.attach(tx, refund.id);
    return { refund, provider };
  }

  private async providerOf(paymentId: string): Promise<PaymentProvider> {
    const payment = await this.deps.payments.findById(this.deps.db, paymentId);
    const provider = payment ? this.deps.providers.get(payment.provider) : undefined;
    if (!provider) throw new DomainError("SERVICE_UNAVAILABLE", "The payment's provider is not available right now.");
    return provider;
  }

  private async askProvider(provider: PaymentProvider, refund: RefundRow): Promise<ProviderRefundResult> {
    const payment = (await this.deps.payments.findById(this.deps.db, refund.paymentId)) as PaymentRow;
    if (!payment.providerPaymentId) {
      return {
        status: "failed",
        providerRefundId: null,
        failure: { code: "not_captured", message: "The provider never confirmed this payment." },
      };
    }
    try {
      return await provider.refund({
        refundId: refund.id,
        paymentId: payment.id,
        providerPaymentId: payment.providerPaymentId,
        amount: refund.amount,
        currency: refund.currency as CurrencyCode,
        reason: refund.reason,
        idempotencyKey: `gantry-refund-${refund.id}`,
      });
    } catch (error) {
      if (error instanceof ProviderRequestRejected) {
        return { status: "failed", providerRefundId: null, failure: error.failure };
      }
      this.deps.logger.warn({ err: error, refundId: refund.id }, "payment provider unavailable for a refund");
      throw new DomainError(
        "SERVICE_UNAVAILABLE",
        "The payment provider did not answer. Retry with the same idempotency key: the refund will not be made twice.",
      );
    }
  }
}
