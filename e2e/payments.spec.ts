import { expect, type Page, test } from "./support/fixtures.js";

const PAYMENT_URL = /\/payments\/[0-9a-f-]{36}$/;

/**
 * Records, inside the page, each status the payment page shows from now on. Only a page that
 * is never reloaded keeps the record. A string, because this file is compiled without DOM types.
 */
const RECORD_STATUSES = `
  window.paymentStatuses = [];
  new MutationObserver(() => {
    const status = document.querySelector('[data-testid="payment-status"]')?.getAttribute("data-status");
    if (status && window.paymentStatuses.at(-1) !== status) window.paymentStatuses.push(status);
  }).observe(document.body, { subtree: true, childList: true, attributes: true });
`;

async function recordedStatuses(page: Page): Promise<string[]> {
  const seen: unknown = await page.evaluate("window.paymentStatuses ?? null");
  if (!Array.isArray(seen)) throw new Error("The status record is gone: the page was reloaded.");
  return seen.filter((status): status is string => typeof status === "string");
}

async function pay(page: Page, payment: { amount: string; card: string; description: string }) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Payments" }).click();
  const form = page.getByRole("form", { name: "Pay" });
  await form.getByLabel("Amount").fill(payment.amount);
  await form.getByLabel("Currency").selectOption("USD");
  await form.getByRole("radio", { name: payment.card }).check();
  await form.getByLabel("Description").fill(payment.description);
  await page.evaluate(RECORD_STATUSES);
  // Two quick clicks are one payment: the second reuses the first's idempotency key, or finds the button disabled.
  await form.getByRole("button", { name: "Pay" }).dblclick();
  await expect(page).toHaveURL(PAYMENT_URL);
}

test.describe("payments", () => {
  test("a user pays with a card that succeeds and watches it settle live", async ({ page, signedInAs }) => {
    await signedInAs("user", { name: "Pay Success" });

    await pay(page, { amount: "12.50", card: "Visa (succeeds)", description: "Coffee beans" });
    const status = page.getByTestId("payment-status");
    await expect(status).toHaveAttribute("data-status", "succeeded");
    await expect(status).toHaveText("Succeeded");
    await expect(page.getByTestId("payment-amount")).toHaveText("$12.50");
    await expect(page.getByTestId("payment-refundable")).toHaveText("$12.50");

    // The page saw the provider's answer arrive: processing first, then succeeded, with no reload in between.
    const seen = await recordedStatuses(page);
    expect(seen.at(-1)).toBe("succeeded");
    expect(seen.slice(0, -1).some((status) => status === "processing" || status === "pending")).toBe(true);

    // The double click made one payment, listed with its final status.
    await page.getByRole("link", { name: "All payments" }).click();
    await expect(page.getByTestId("table-total")).toHaveText("1 payment");
    const row = page.getByTestId("payment-row");
    await expect(row).toHaveAttribute("data-status", "succeeded");
    await expect(row).toContainText("Coffee beans");
  });

  test("a declined card fails with a clear reason and takes no money", async ({ page, signedInAs }) => {
    await signedInAs("user", { name: "Pay Declined" });

    await pay(page, { amount: "40.00", card: "Declined card", description: "Declined attempt" });
    await expect(page.getByTestId("payment-status")).toHaveAttribute("data-status", "failed");
    const failure = page.getByTestId("payment-failure");
    await expect(failure).toContainText("Your card was declined");
    await expect(failure).toContainText("No money was taken");
    await expect(page.getByRole("form", { name: "Refund" })).toHaveCount(0);
  });

  test("an admin refunds part of a payment, then the rest", async ({
    page,
    createAccount,
    createPayment,
    signedInAs,
  }) => {
    const payer = await createAccount("user", { name: "Refund Me" });
    const payment = await createPayment(payer, { amount: 2000 });
    await signedInAs("admin");
    await page.goto(`/payments/${payment.id}`);
    await expect(page.getByTestId("payment-status")).toHaveAttribute("data-status", "succeeded");
    await expect(page.getByTestId("payment-refundable")).toHaveText("$20.00");

    const refund = page.getByRole("form", { name: "Refund" });
    await refund.getByLabel("Amount").fill("5.00");
    await refund.getByLabel("Reason").fill("One item returned");
    await refund.getByRole("button", { name: "Refund" }).click();
    await expect(page.getByTestId("payment-status")).toHaveAttribute("data-status", "partially_refunded");
    await expect(page.getByTestId("payment-refundable")).toHaveText("$15.00");
    await expect(page.getByTestId("payment-refunded")).toHaveText("$5.00");
    await expect(page.getByTestId("refund-row")).toHaveCount(1);

    // An empty amount refunds whatever remains.
    await expect(refund.getByLabel("Amount")).toHaveValue("");
    await refund.getByRole("button", { name: "Refund" }).click();
    // Refunding everything that remains is asked first; the button says how much.
    await page.getByTestId("confirm-dialog").getByRole("button", { name: "Refund $15.00" }).click();
    await expect(page.getByTestId("payment-status")).toHaveAttribute("data-status", "refunded");
    await expect(page.getByTestId("payment-refundable")).toHaveText("$0.00");
    await expect(page.getByTestId("payment-refunded")).toHaveText("$20.00");
    await expect(page.getByTestId("refund-row")).toHaveCount(2);
    await expect(page.getByTestId("refund-amount")).toHaveText(["$5.00", "$15.00"]);
    await expect(page.getByRole("form", { name: "Refund" })).toHaveCount(0);

    // The books still balance after the capture and both refunds.
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("button", { name: "Admin" }).click();
    await nav.getByRole("link", { name: "Ledger" }).click();
    const usd = page.locator('[data-testid="ledger-total"][data-currency="USD"]');
    await expect(usd).toContainText("Balanced");
  });
});
