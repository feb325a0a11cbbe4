import type { PaymentStatus } from "../../../shared/schemas/payments.js";

/**
 * The payment lifecycle, and nothing else: which status may follow which. Pure, so the
 * property test can drive it through any sequence of events.
 *
 *   pending -> processing -> succeeded -> partially_refunded -> refunded
 *         \-> failed     \-> failed              \-> refunded
 *         \-> canceled   \-> canceled
 *
 * A partial refund may follow another (partially_refunded -> partially_refunded).
 */
export const transitions: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  pending: ["processing", "failed", "canceled"],
  processing: ["succeeded", "failed", "canceled"],
  succeeded: ["partially_refunded", "refunded"],
  partially_refunded: ["partially_refunded", "refunded"],
  failed: [],
  canceled: [],
  refunded: [],
};

/** Outcomes a provider reports for the charge itself (refunds have their own flow). */
export type SettlementStatus = "processing" | "succeeded" | "failed" | "canceled";

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return transitions[from].includes(to);
}

export class IllegalTransition extends Error {
  override name = "IllegalTransition";
  constructor(
    readonly from: PaymentStatus,
    readonly to: PaymentStatus,
  ) {
    super(`a payment cannot go from ${from} to ${to}`);
  }
}

export function assertTransition(from: PaymentStatus, to: PaymentStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransition(from, to);
}

export function isTerminal(status: PaymentStatus): boolean {
  return transitions[status].length === 0;
}

/**
 * The legal steps that take a payment from `from` to the provider-reported `to`, shortest
 * first: [] when it is already there, null when `to` lies behind or beside it. Webhooks use
 * this, so an event that arrives late ("processing" after "succeeded") changes nothing, and
 * one that skips ahead ("succeeded" while still pending) passes through every status between.
 */
export function pathTo(from: PaymentStatus, to: SettlementStatus): PaymentStatus[] | null {
  if (from === to) return [];
  const previous = new Map<PaymentStatus, PaymentStatus>();
  const queue: PaymentStatus[] = [from];
  while (queue.length > 0) {
    const current = queue.shift() as PaymentStatus;
    for (const next of transitions[current]) {
      if (next === from || previous.has(next)) continue;
      previous.set(next, current);
      if (next === to) {
        const path: PaymentStatus[] = [to];
        for (let step = current; step !== from; step = previous.get(step) as PaymentStatus) path.unshift(step);
        return path;
      }
      queue.push(next);
    }
  }
  return null;
}

/** The status after a refund that brings the refunded total to `refundedAmount`. */
export function statusAfterRefund(amount: number, refundedAmount: number): "partially_refunded" | "refunded" {
  return refundedAmount >= amount ? "refunded" : "partially_refunded";
}
