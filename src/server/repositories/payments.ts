import { and, eq, type InferInsertModel, type InferSelectModel } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { ListQuery, Page } from "../../shared/schemas/list.js";
import type { PaymentListField, PaymentStatus } from "../../shared/schemas/payments.js";
import type { Executor } from "../db/database.js";
import { payments } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type PaymentRow = InferSelectModel<typeof payments>;
export type NewPaymentRow = InferInsertModel<typeof payments>;

export class PaymentsRepository extends BaseRepository<typeof payments, PaymentListField> {
  constructor() {
    super(payments, {
      status: payments.status,
      currency: payments.currency,
      provider: payments.provider,
      amount: payments.amount,
      createdAt: payments.createdAt,
      ownerId: payments.ownerId,
    });
  }

  /** Everyone's payments, or only `ownerId`'s. */
  listFor(db: Executor, query: ListQuery<PaymentListField>, ownerId?: string): Promise<Page<PaymentRow>> {
    return this.list(db, query, ownerId ? eq(payments.ownerId, ownerId) : undefined);
  }

  /**
   * Locks the row until the transaction ends: every change to a payment (create's answer,
   * webhooks, refunds) goes through here, so they apply one after another, never interleaved.
   */
  async lock(tx: Executor, id: string): Promise<PaymentRow | undefined> {
    const rows = await tx.select().from(payments).where(eq(payments.id, id)).limit(1).for("update");
    return rows[0];
  }

  async lockByProviderId(tx: Executor, provider: string, providerPaymentId: string): Promise<PaymentRow | undefined> {
    const rows = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.provider, provider), eq(payments.providerPaymentId, providerPaymentId)))
      .limit(1)
      .for("update");
    return rows[0];
  }

  /** Updates only while the payment is still in `expected`: a lost race shows up as undefined, not as a silent overwrite. */
  updateFrom(
    tx: Executor,
    id: string,
    expected: PaymentStatus,
    values: PgUpdateSetSource<typeof payments>,
  ): Promise<PaymentRow | undefined> {
    return this.update(tx, id, values, eq(payments.status, expected));
  }
}
