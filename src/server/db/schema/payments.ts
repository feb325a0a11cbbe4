import { sql } from "drizzle-orm";
import { bigint, check, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { paymentStatuses, refundStatuses } from "../../../shared/schemas/payments.js";
import { baseColumns } from "./base.js";
import { users } from "./users.js";

export const paymentStatusEnum = pgEnum("payment_status", paymentStatuses);
export const refundStatusEnum = pgEnum("refund_status", refundStatuses);

/**
 * One payment attempt. Amounts are integer minor units (bigint, read as JS numbers: every
 * amount is capped far below 2^53). The checks are the last line of defence for the rules
 * the service enforces: nothing negative, never more refunded than paid.
 */
export const payments = pgTable(
  "payments",
  {
    ...baseColumns,
    // No cascade: a payment (and its ledger entries) outlives any account change.
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    provider: text("provider").notNull(),
    providerPaymentId: text("provider_payment_id"),
    amount: bigint("amount", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    paymentMethod: text("payment_method").notNull(),
    description: text("description"),
    status: paymentStatusEnum("status").notNull().default("pending"),
    refundedAmount: bigint("refunded_amount", { mode: "number" }).notNull().default(0),
    failureCode: text("failure_code"),
    failureMessage: text("failure_message"),
  },
  (table) => [
    index("payments_owner_created_idx").on(table.ownerId, table.createdAt),
    index("payments_created_idx").on(table.createdAt),
    uniqueIndex("payments_provider_payment_idx").on(table.provider, table.providerPaymentId),
    check("payments_amount_positive", sql`${table.amount} > 0`),
    check("payments_refunded_within_amount", sql`${table.refundedAmount} between 0 and ${table.amount}`),
  ],
);

/** A refund is reserved (pending) before the provider is asked, so two refunds can never both take the last cent. */
export const paymentRefunds = pgTable(
  "payment_refunds",
  {
    ...baseColumns,
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id),
    requestedBy: uuid("requested_by")
      .notNull()
      .references(() => users.id),
    amount: bigint("amount", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    status: refundStatusEnum("status").notNull().default("pending"),
    reason: text("reason"),
    providerRefundId: text("provider_refund_id"),
    failureCode: text("failure_code"),
    failureMessage: text("failure_message"),
  },
  (table) => [
    index("payment_refunds_payment_idx").on(table.paymentId),
    uniqueIndex("payment_refunds_provider_idx").on(table.providerRefundId),
    check("payment_refunds_amount_positive", sql`${table.amount} > 0`),
  ],
);

/**
 * The double-entry ledger: append-only (no updated_at; the repository has no update or
 * delete, and a trigger refuses both). Debits are positive, credits negative; the entries of
 * one `transaction_id` sum to zero per currency. The partial unique indexes make a second
 * capture of one payment, or a second posting of one refund, impossible.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    transactionId: uuid("transaction_id").notNull(),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id),
    refundId: uuid("refund_id").references(() => paymentRefunds.id),
    kind: text("kind", { enum: ["capture", "refund"] }).notNull(),
    account: text("account").notNull(),
    currency: text("currency").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("ledger_entries_transaction_idx").on(table.transactionId),
    index("ledger_entries_payment_idx").on(table.paymentId),
    index("ledger_entries_account_idx").on(table.account, table.currency),
    index("ledger_entries_created_idx").on(table.createdAt),
    uniqueIndex("ledger_entries_capture_once_idx")
      .on(table.paymentId, table.account)
      .where(sql`${table.kind} = 'capture'`),
    uniqueIndex("ledger_entries_refund_once_idx")
      .on(table.refundId, table.account)
      .where(sql`${table.refundId} is not null`),
    check("ledger_entries_amount_nonzero", sql`${table.amount} <> 0`),
  ],
);

/**
 * Provider webhook events already handled, by the provider's own event id: a replay finds
 * its row and changes nothing. Inserted in the same transaction as the change it caused.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    paymentId: uuid("payment_id"),
    /** applied | stale | ignored | unknown_payment | mismatch */
    outcome: text("outcome").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("webhook_events_provider_event_idx").on(table.provider, table.eventId)],
);
