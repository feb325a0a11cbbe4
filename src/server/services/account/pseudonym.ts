import { sha256 } from "../../utils/crypto.js";

/**
 * How a deleted account is named from then on, wherever it still has to be named (its kept row,
 * the ledger's payments, the audit log): the same for the same account every time, and saying
 * nothing of who it was. Account ids are random, so their hash cannot be walked back to a person.
 */
export function pseudonymFor(userId: string): string {
  return `deleted-user-${sha256(userId).slice(0, 16)}`;
}

/** The erased address: unique per account (the email index), and undeliverable (RFC 2606 `.invalid`). */
export const erasedEmailFor = (userId: string) => `${pseudonymFor(userId)}@deleted.invalid`;
