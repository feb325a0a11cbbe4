import { asc, type InferInsertModel, type InferSelectModel, sql, sum } from "drizzle-orm";
import type { ListQuery, Page } from "../../shared/schemas/list.js";
import type { LedgerListField } from "../../shared/schemas/payments.js";
import type { Executor } from "../db/database.js";
import { ledgerEntries } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type LedgerEntryRow = InferSelectModel<typeof ledgerEntries>;
export type NewLedgerEntry = Omit<InferInsertModel<typeof ledgerEntries>, "id" | "createdAt">;

/**
 * The ledger is append-only: this repository can add entries and read them, and has no
 * update or delete (it holds a BaseRepository for paged reads instead of extending one, so
 * those methods are not inherited). Mistakes are corrected by new, opposite entries.
 */
export class LedgerRepository {
  private readonly reader = new BaseRepository<typeof ledgerEntries, LedgerListField>(ledgerEntries, {
    account: ledgerEntries.account,
    currency: ledgerEntries.currency,
    paymentId: ledgerEntries.paymentId,
    transactionId: ledgerEntries.transactionId,
    createdAt: ledgerEntries.createdAt,
  });

  async append(tx: Executor, entries: readonly NewLedgerEntry[]): Promise<LedgerEntryRow[]> {
    if (entries.length === 0) return [];
    return tx
      .insert(ledgerEntries)
      .values([...entries])
      .returning();
  }

  list(db: Executor, query: ListQuery<LedgerListField>): Promise<Page<LedgerEntryRow>> {
    return this.reader.list(db, query);
  }

  /** Balance of every account per currency. */
  async balances(db: Executor): Promise<Array<{ account: string; currency: string; balance: number }>> {
    const rows = await db
      .select({ account: ledgerEntries.account, currency: ledgerEntries.currency, balance: sum(ledgerEntries.amount) })
      .from(ledgerEntries)
      .groupBy(ledgerEntries.account, ledgerEntries.currency)
      .orderBy(asc(ledgerEntries.currency), asc(ledgerEntries.account));
    return rows.map((row) => ({ account: row.account, currency: row.currency, balance: Number(row.balance ?? 0) }));
  }

  /** Transactions whose entries do not sum to zero in some currency: always empty unless something is badly wrong. */
  async unbalancedTransactions(
    db: Executor,
  ): Promise<Array<{ transactionId: string; currency: string; total: number }>> {
    const rows = await db
      .select({
        transactionId: ledgerEntries.transactionId,
        currency: ledgerEntries.currency,
        total: sum(ledgerEntries.amount),
      })
      .from(ledgerEntries)
      .groupBy(ledgerEntries.transactionId, ledgerEntries.currency)
      .having(sql`sum(${ledgerEntries.amount}) <> 0`);
    return rows.map((row) => ({ ...row, total: Number(row.total ?? 0) }));
  }
}
