import type { CurrencyCode } from "../../../shared/money.js";
import type { LedgerEntry, Payment, PaymentDetail, Refund } from "../../../shared/schemas/payments.js";
import type { LedgerEntryRow } from "../../repositories/ledger.js";
import type { RefundRow } from "../../repositories/payment-refunds.js";
import type { PaymentRow } from "../../repositories/payments.js";

/** Rows as the API shows them. Currencies were validated on the way in, hence the casts. */
export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    ownerId: row.ownerId,
    provider: row.provider,
    providerPaymentId: row.providerPaymentId,
    amount: row.amount,
    currency: row.currency as CurrencyCode,
    paymentMethod: row.paymentMethod,
    description: row.description,
    status: row.status,
    refundedAmount: row.refundedAmount,
    failure: row.failureCode ? { code: row.failureCode, message: row.failureMessage ?? "" } : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toRefund(row: RefundRow): Refund {
  return {
    id: row.id,
    paymentId: row.paymentId,
    amount: row.amount,
    currency: row.currency as CurrencyCode,
    status: row.status,
    reason: row.reason,
    failure: row.failureCode ? { code: row.failureCode, message: row.failureMessage ?? "" } : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toPaymentDetail(row: PaymentRow, refunds: RefundRow[]): PaymentDetail {
  const captured = row.status === "succeeded" || row.status === "partially_refunded";
  const pending = refunds.filter((refund) => refund.status === "pending").reduce((sum, r) => sum + r.amount, 0);
  return {
    ...toPayment(row),
    refunds: refunds.map(toRefund),
    refundableAmount: captured ? Math.max(0, row.amount - row.refundedAmount - pending) : 0,
  };
}

export function toLedgerEntry(row: LedgerEntryRow): LedgerEntry {
  return {
    id: row.id,
    transactionId: row.transactionId,
    paymentId: row.paymentId,
    refundId: row.refundId,
    account: row.account,
    currency: row.currency as CurrencyCode,
    amount: row.amount,
    kind: row.kind,
    createdAt: row.createdAt,
  };
}
