import type { CurrencyCode } from "../../../shared/money.js";

/**
 * Double-entry postings for payments, as pure functions. Sign convention: debits positive,
 * credits negative, so the lines of one transaction sum to zero per currency.
 *
 * - `provider_balance:<provider>` (asset): money the processor holds for us.
 * - `sales` (income): captured payments; carries a credit (negative) balance.
 * - `refunds` (contra-income): money given back; carries a debit (positive) balance.
 */
export const ledgerAccounts = {
  providerBalance: (provider: string) => `provider_balance:${provider}`,
  sales: "sales",
  refunds: "refunds",
} as const;

export interface LedgerLine {
  account: string;
  currency: CurrencyCode;
  amount: number;
}

interface Money {
  provider: string;
  currency: CurrencyCode;
  amount: number;
}

/** A captured payment: the processor now holds the money, and it counts as a sale. */
export function captureLines({ provider, currency, amount }: Money): LedgerLine[] {
  return [
    { account: ledgerAccounts.providerBalance(provider), currency, amount },
    { account: ledgerAccounts.sales, currency, amount: -amount },
  ];
}

/** A refund: the processor pays it out of our balance, and it counts against sales. */
export function refundLines({ provider, currency, amount }: Money): LedgerLine[] {
  return [
    { account: ledgerAccounts.refunds, currency, amount },
    { account: ledgerAccounts.providerBalance(provider), currency, amount: -amount },
  ];
}

/** Sum per currency; a balanced transaction has every value 0. */
export function totalsByCurrency(lines: readonly { currency: string; amount: number }[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.amount);
  return totals;
}

export function isBalanced(lines: readonly { currency: string; amount: number }[]): boolean {
  return [...totalsByCurrency(lines).values()].every((total) => total === 0);
}

class UnbalancedTransaction extends Error {
  override name = "UnbalancedTransaction";
}

export function assertBalanced(lines: readonly LedgerLine[]): void {
  if (
    lines.length < 2 ||
    !isBalanced(lines) ||
    lines.some((line) => line.amount === 0 || !Number.isSafeInteger(line.amount))
  ) {
    throw new UnbalancedTransaction(`ledger transaction does not balance: ${JSON.stringify(lines)}`);
  }
}
