import { z } from "zod";
import type { CurrencyCode } from "../money.js";
import { listQuerySchema, type Page } from "./list.js";
import { currencySchema, minorAmountSchema } from "./money.js";
import type { PersonRef } from "./people.js";
import { text } from "./text.js";

/**
 * Payments: inputs the routers validate and the shapes they answer with. The lifecycle
 * itself (which status may follow which) lives in the server's state machine.
 */
export const paymentStatuses = [
  "pending",
  "processing",
  "succeeded",
  "failed",
  "canceled",
  "partially_refunded",
  "refunded",
] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];
export const paymentStatusSchema = z.enum(paymentStatuses);

export const refundStatuses = ["pending", "succeeded", "failed"] as const;
export type RefundStatus = (typeof refundStatuses)[number];

/** Provider ids are open-ended (a new provider is one new file); the server says which exist. */
const providerIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, "Unknown payment provider");

/** As Stripe: up to 255 characters, chosen by the client (a UUID per checkout attempt is ideal). */
const idempotencyKeySchema = text().trim().min(1, "Send an idempotency key").max(255, "Use at most 255 characters");

export const createPaymentInput = z.object({
  amount: minorAmountSchema,
  currency: currencySchema,
  paymentMethod: text().trim().min(1, "Choose a payment method").max(255),
  provider: providerIdSchema.optional(),
  description: text().trim().max(500, "Use at most 500 characters").optional(),
  idempotencyKey: idempotencyKeySchema,
});
export type CreatePaymentInput = z.infer<typeof createPaymentInput>;

/** Without `amount`, refunds everything that remains. */
export const refundPaymentInput = z.object({
  paymentId: z.uuid(),
  amount: minorAmountSchema.optional(),
  reason: text().trim().max(500, "Use at most 500 characters").optional(),
  idempotencyKey: idempotencyKeySchema,
});
export type RefundPaymentInput = z.infer<typeof refundPaymentInput>;

export const paymentByIdInput = z.object({ id: z.uuid() });
export const paymentStatusInput = z.object({ paymentId: z.uuid() });

export const paymentListFields = ["status", "currency", "provider", "amount", "createdAt", "ownerId"] as const;
export const paymentListInput = listQuerySchema(paymentListFields, {
  status: paymentStatuses,
  currency: "text",
  provider: "text",
  amount: "integer",
  createdAt: "date",
  ownerId: "uuid",
});
export type PaymentListField = (typeof paymentListFields)[number];

export const ledgerListFields = ["account", "currency", "paymentId", "transactionId", "createdAt"] as const;
export const ledgerInput = listQuerySchema(ledgerListFields, {
  account: "text",
  currency: "text",
  paymentId: "uuid",
  transactionId: "uuid",
  createdAt: "date",
});
export type LedgerListField = (typeof ledgerListFields)[number];

export interface PaymentFailure {
  /** Machine-readable, e.g. `card_declined`, `insufficient_funds`. */
  code: string;
  /** Safe to show the payer. */
  message: string;
}

export interface Payment {
  id: string;
  /** The account that paid. */
  ownerId: string;
  /** Its name and email, on list pages (absent where the payer is the reader, e.g. live updates). */
  owner?: PersonRef | undefined;
  provider: string;
  providerPaymentId: string | null;
  /** Minor units of `currency`. */
  amount: number;
  currency: CurrencyCode;
  paymentMethod: string;
  description: string | null;
  status: PaymentStatus;
  /** Minor units refunded so far (succeeded refunds only). */
  refundedAmount: number;
  failure: PaymentFailure | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Refund {
  id: string;
  paymentId: string;
  amount: number;
  currency: CurrencyCode;
  status: RefundStatus;
  reason: string | null;
  failure: PaymentFailure | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PaymentDetail extends Payment {
  refunds: Refund[];
  /** What a refund may still take: the amount less succeeded and pending refunds (0 unless captured). */
  refundableAmount: number;
}

export interface RefundResult {
  refund: Refund;
  payment: Payment;
}

export interface TestPaymentMethod {
  id: string;
  label: string;
  /** What the sandbox does with it, for the card chooser. */
  outcome: "succeeds" | "fails" | "succeeds_later";
}

export interface PaymentProviderInfo {
  id: string;
  name: string;
  refunds: boolean;
  partialRefunds: boolean;
  /** Outcomes arrive later through signed webhooks. */
  asyncSettlement: boolean;
  currencies: CurrencyCode[];
  /** Methods a test form can offer; empty for real providers. */
  testPaymentMethods: TestPaymentMethod[];
}

export interface PaymentProvidersInfo {
  defaultProvider: string | null;
  /** Largest single payment, in minor units of any currency (as Stripe's limit). */
  maxAmount: number;
  providers: PaymentProviderInfo[];
}

export interface LedgerEntry {
  id: string;
  transactionId: string;
  paymentId: string;
  refundId: string | null;
  account: string;
  currency: CurrencyCode;
  /** Signed minor units: debits positive, credits negative; each transaction sums to zero. */
  amount: number;
  kind: "capture" | "refund";
  createdAt: Date;
  /** Who paid the entry's payment, and what for (list pages). */
  payer?: PersonRef | undefined;
  paymentDescription?: string | null | undefined;
}

export interface LedgerBalance {
  account: string;
  currency: CurrencyCode;
  balance: number;
}

export interface LedgerView {
  balances: LedgerBalance[];
  /** Sum of every entry per currency: zero when the books balance. */
  totals: Array<{ currency: CurrencyCode; total: number }>;
  entries: Page<LedgerEntry>;
}
