import { and, asc, eq, type InferSelectModel, sum } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { RefundStatus } from "../../shared/schemas/payments.js";
import type { Executor } from "../db/database.js";
import { paymentRefunds } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type RefundRow = InferSelectModel<typeof paymentRefunds>;

export class PaymentRefundsRepository extends BaseRepository<typeof paymentRefunds, "status" | "createdAt"> {
  constructor() {
    super(paymentRefunds, { status: paymentRefunds.status, createdAt: paymentRefunds.createdAt });
  }

  listForPayment(db: Executor, paymentId: string): Promise<RefundRow[]> {
    return db
      .select()
      .from(paymentRefunds)
      .where(eq(paymentRefunds.paymentId, paymentId))
      .orderBy(asc(paymentRefunds.createdAt), asc(paymentRefunds.id));
  }

  /** Minor units reserved by refunds the provider has not settled yet. */
  async pendingTotal(db: Executor, paymentId: string): Promise<number> {
    const rows = await db
      .select({ total: sum(paymentRefunds.amount) })
      .from(paymentRefunds)
      .where(and(eq(paymentRefunds.paymentId, paymentId), eq(paymentRefunds.status, "pending")));
    return Number(rows[0]?.total ?? 0);
  }

  async lock(tx: Executor, id: string): Promise<RefundRow | undefined> {
    const rows = await tx.select().from(paymentRefunds).where(eq(paymentRefunds.id, id)).limit(1).for("update");
    return rows[0];
  }

  async findByProviderId(db: Executor, providerRefundId: string): Promise<RefundRow | undefined> {
    const rows = await db
      .select()
      .from(paymentRefunds)
      .where(eq(paymentRefunds.providerRefundId, providerRefundId))
      .limit(1);
    return rows[0];
  }

  updateFrom(
    tx: Executor,
    id: string,
    expected: RefundStatus,
    values: PgUpdateSetSource<typeof paymentRefunds>,
  ): Promise<RefundRow | undefined> {
    return this.update(tx, id, values, eq(paymentRefunds.status, expected));
  }
}
