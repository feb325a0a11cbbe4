import { z } from "zod";
import { currencyCodes } from "../money.js";
import { paymentStatusSchema } from "../schemas/payments.js";

/**
 * Payment lifecycle events. Every one names the payment, its owner and the status the payment
 * has once the event's transaction committed, so a live view can follow a payment from any event.
 */
const concerning = {
  paymentId: z.uuid(),
  userId: z.uuid(),
  status: paymentStatusSchema,
};
const currency = z.enum(currencyCodes);
const amount = z.number().int().positive();
const failure = { code: z.string(), message: z.string() };

export const paymentEvents = {
  "payment.created": z.object({
    ...concerning,
    amount,
    currency,
    provider: z.string(),
    paymentMethod: z.string(),
  }),
  "payment.processing": z.object({ ...concerning, providerPaymentId: z.string().nullable() }),
  "payment.succeeded": z.object({
    ...concerning,
    amount,
    currency,
    providerPaymentId: z.string().nullable(),
    ledgerTransactionId: z.uuid(),
  }),
  "payment.failed": z.object({ ...concerning, ...failure }),
  "payment.canceled": z.object({ ...concerning, reason: z.string().nullable() }),
  "payment.refund_requested": z.object({
    ...concerning,
    refundId: z.uuid(),
    amount,
    currency,
    requestedBy: z.uuid(),
  }),
  "payment.refunded": z.object({
    ...concerning,
    refundId: z.uuid(),
    amount,
    currency,
    /** Total refunded after this refund. */
    refundedAmount: amount,
    ledgerTransactionId: z.uuid(),
  }),
  "payment.refund_failed": z.object({ ...concerning, refundId: z.uuid(), amount, currency, ...failure }),
} as const;

export type PaymentEventType = keyof typeof paymentEvents;
export const paymentEventTypes = Object.keys(paymentEvents) as PaymentEventType[];
