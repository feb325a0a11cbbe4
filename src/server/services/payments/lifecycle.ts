import { randomUUID } from "node:crypto";
import type { Actor } from "../../../shared/events.js";
import type { CurrencyCode } from "../../../shared/money.js";
import type { PaymentFailure, PaymentStatus } from "../../../shared/schemas/payments.js";
import type { EventBus } from "../../core/events/index.js";
import type { Executor } from "../../db/database.js";
import type { LedgerRepository } from "../../repositories/ledger.js";
import type { PaymentRefundsRepository, RefundRow } from "../../repositories/payment-refunds.js";
import type { PaymentRow, PaymentsRepository } from "../../repositories/payments.js";
import { assertBalanced, captureLines, type LedgerLine, refundLines } from "./ledger.js";
import {
  assertTransition,
  IllegalTransition,
  pathTo,
  type SettlementStatus,
  statusAfterRefund,
} from "./state-machine.js";

export interface LifecycleDeps {
  payments: PaymentsRepository;
  refunds: PaymentRefundsRepository;
  ledger: LedgerRepository;
  events: EventBus;
}

export interface SettlementDetail {
  providerPaymentId?: string | null;
  failure?: PaymentFailure | null;
}

/**
 * Every change of a payment's status, inside the caller's transaction and on a row the caller
 * has locked: the status moves only along the state machine, and each step commits together
 * with its event and, for money that moves, its balanced ledger entries.
 */
export class PaymentLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  /**
   * Moves a payment towards what the provider reported. Forward only: a status that lies
   * behind (a late "processing") or beside (a "failed" after "succeeded") changes nothing.
   */
  async settle(
    tx: Executor,
    payment: PaymentRow,
    target: SettlementStatus,
    detail: SettlementDetail,
    actor: Actor,
  ): Promise<{ payment: PaymentRow; moved: boolean }> {
    let current = payment;
    if (detail.providerPaymentId && !current.providerPaymentId) {
      current =
        (await this.deps.payments.update(tx, current.id, { providerPaymentId: detail.providerPaymentId })) ?? current;
    }
    const steps = pathTo(current.status, target);
    if (!steps || steps.length === 0) return { payment: current, moved: false };
    for (const to of steps) current = await this.step(tx, current, to, detail.failure ?? null, actor);
    return { payment: current, moved: true };
  }

  /** Books a refund the provider confirmed: payment status, refunded total, ledger and event together. */
  async refundSucceeded(
    tx: Executor,
    payment: PaymentRow,
    refund: RefundRow,
    providerRefundId: string | null,
    actor: Actor,
  ): Promise<{ payment: PaymentRow; refund: RefundRow }> {
    const refundedAmount = payment.refundedAmount + refund.amount;
    const to = statusAfterRefund(payment.amount, refundedAmount);
    assertTransition(payment.status, to);
    const settled = await this.deps.refunds.updateFrom(tx, refund.id, "pending", {
      status: "succeeded",
      providerRefundId: providerRefundId ?? refund.providerRefundId,
    });
    if (!settled) throw new Error(`refund ${refund.id} is no longer pending`);
    const updated = await this.deps.payments.updateFrom(tx, payment.id, payment.status, { status: to, refundedAmount });
    if (!updated) throw new Error(`payment ${payment.id} changed while locked`);
    const currency = updated.currency as CurrencyCode;
    const ledgerTransactionId = await this.post(
      tx,
      "refund",
      updated,
      refund.id,
      refundLines({ provider: updated.provider, currency, amount: refund.amount }),
    );
    await this.deps.events.publish(
      tx,
      "payment.refunded",
      {
        paymentId: updated.id,
        userId: updated.ownerId,
        status: updated.status,
        refundId: refund.id,
        amount: refund.amount,
        currency,
        refundedAmount,
        ledgerTransactionId,
      },
      actor,
    );
    return { payment: updated, refund: settled };
  }

  /** A refund the provider refused: the reserved amount becomes refundable again; no money moved. */
  async refundFailed(
    tx: Executor,
    payment: PaymentRow,
    refund: RefundRow,
    failure: PaymentFailure,
    providerRefundId: string | null,
    actor: Actor,
  ): Promise<RefundRow> {
    const failed = await this.deps.refunds.updateFrom(tx, refund.id, "pending", {
      status: "failed",
      failureCode: failure.code,
      failureMessage: failure.message,
      providerRefundId: providerRefundId ?? refund.providerRefundId,
    });
    if (!failed) throw new Error(`refund ${refund.id} is no longer pending`);
    await this.deps.events.publish(
      tx,
      "payment.refund_failed",
      {
        paymentId: payment.id,
        userId: payment.ownerId,
        status: payment.status,
        refundId: refund.id,
        amount: refund.amount,
        currency: refund.currency as CurrencyCode,
        code: failure.code,
        message: failure.message,
      },
      actor,
    );
    return failed;
  }

  private async step(
    tx: Executor,
    payment: PaymentRow,
    to: PaymentStatus,
    failure: PaymentFailure | null,
    actor: Actor,
  ): Promise<PaymentRow> {
    assertTransition(payment.status, to);
    const reason =
      to === "failed" || to === "canceled"
        ? (failure ?? { code: to === "failed" ? "payment_failed" : "canceled", message: `The payment ${to}.` })
        : null;
    const updated = await this.deps.payments.updateFrom(tx, payment.id, payment.status, {
      status: to,
      ...(reason ? { failureCode: reason.code, failureMessage: reason.message } : {}),
    });
    if (!updated) throw new Error(`payment ${payment.id} changed while locked`);
    const concerning = { paymentId: updated.id, userId: updated.ownerId, status: updated.status };
    const currency = updated.currency as CurrencyCode;
    switch (to) {
      case "processing":
        await this.deps.events.publish(
          tx,
          "payment.processing",
          { ...concerning, providerPaymentId: updated.providerPaymentId },
          actor,
        );
        break;
      case "succeeded": {
        const ledgerTransactionId = await this.post(
          tx,
          "capture",
          updated,
          null,
          captureLines({ provider: updated.provider, currency, amount: updated.amount }),
        );
        await this.deps.events.publish(
          tx,
          "payment.succeeded",
          {
            ...concerning,
            amount: updated.amount,
            currency,
            providerPaymentId: updated.providerPaymentId,
            ledgerTransactionId,
          },
          actor,
        );
        break;
      }
      case "failed":
        await this.deps.events.publish(
          tx,
          "payment.failed",
          { ...concerning, code: reason?.code ?? "payment_failed", message: reason?.message ?? "" },
          actor,
        );
        break;
      case "canceled":
        await this.deps.events.publish(
          tx,
          "payment.canceled",
          { ...concerning, reason: reason?.message ?? null },
          actor,
        );
        break;
      default:
        // Refund statuses move only through refundSucceeded, which books the money.
        throw new IllegalTransition(payment.status, to);
    }
    return updated;
  }

  private async post(
    tx: Executor,
    kind: "capture" | "refund",
    payment: PaymentRow,
    refundId: string | null,
    lines: LedgerLine[],
  ): Promise<string> {
    assertBalanced(lines);
    const transactionId = randomUUID();
    await this.deps.ledger.append(
      tx,
      lines.map((line) => ({ ...line, transactionId, paymentId: payment.id, refundId, kind })),
    );
    return transactionId;
  }
}
