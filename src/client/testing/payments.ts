import { waitFor } from "@testing-library/react";
import type { TRPCClient } from "@trpc/client";
import type { AppRouter } from "../../server/trpc/router.js";
import type { CurrencyCode } from "../../shared/money";

/**
 * A payment made through the API (not the page under test) and waited for until the sandbox
 * has settled it; `pm_card_chargeDeclined` makes one that fails.
 */
export async function settledPayment(
  api: TRPCClient<AppRouter>,
  amount: number,
  options: { currency?: CurrencyCode; paymentMethod?: string; description?: string } = {},
) {
  const created = await api.payments.create.mutate({
    amount,
    currency: options.currency ?? "USD",
    paymentMethod: options.paymentMethod ?? "pm_card_visa",
    provider: "sandbox",
    description: options.description,
    idempotencyKey: crypto.randomUUID(),
  });
  let settled = created;
  await waitFor(async () => {
    settled = await api.payments.byId.query({ id: created.id });
    if (settled.status === "pending" || settled.status === "processing") throw new Error("still settling");
  });
  return settled;
}
