/**
 * Ledger accounts are plain strings written by the server (decision 0007):
 * `provider_balance:<provider>` holds what a provider collected for us, `sales` is the
 * income side of a capture, `refunds` what was given back. Debits are positive.
 */
export function describeAccount(account: string): string {
  const [kind, qualifier] = account.split(":", 2);
  if (kind === "provider_balance") return `Balance held by ${qualifier || "a provider"}`;
  if (kind === "sales") return "Sales (income)";
  if (kind === "refunds") return "Refunds given";
  return account;
}

/** Which side of the books a signed amount sits on. */
export function sideOf(amount: number): "debit" | "credit" {
  return amount < 0 ? "credit" : "debit";
}
