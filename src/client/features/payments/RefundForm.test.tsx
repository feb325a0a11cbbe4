import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { formatMoney } from "../../../shared/money";
import { settledPayment } from "../../testing/payments";
import { createAccount, openApp, signedInAs } from "../../testing/screen";

describe("the refund form", () => {
  it("refunds part of a payment, then the rest, and the page keeps count", async () => {
    const account = await signedInAs("user");
    const payment = await settledPayment(account.api, 1000);
    const { user } = openApp(`/payments/${payment.id}`);

    const form = await screen.findByRole("form", { name: "Refund" });
    await user.type(within(form).getByLabelText("Amount"), "4");
    await user.type(within(form).getByLabelText("Reason"), "one cup was cold");
    await user.click(within(form).getByRole("button", { name: "Refund" }));

    expect(await screen.findByText(`Refunded ${formatMoney(400, "USD")}.`)).toBeVisible();
    const summary = screen.getByTestId("payment-summary");
    expect(within(summary).getByTestId("payment-refunded")).toHaveTextContent(formatMoney(400, "USD"));
    expect(within(summary).getByTestId("payment-refundable")).toHaveTextContent(formatMoney(600, "USD"));
    expect(within(screen.getByTestId("refunds-panel")).getByText("one cup was cold")).toBeVisible();

    // Left empty, the amount is everything that remains; giving it all back is confirmed first.
    const again = screen.getByRole("form", { name: "Refund" });
    await user.click(within(again).getByRole("button", { name: "Refund" }));
    const confirmation = await screen.findByTestId("confirm-dialog");
    await user.click(within(confirmation).getByRole("button", { name: `Refund ${formatMoney(600, "USD")}` }));
    await waitFor(() =>
      expect(within(summary).getByTestId("payment-refunded")).toHaveTextContent(formatMoney(1000, "USD")),
    );
    expect(within(summary).getByTestId("payment-status")).toHaveTextContent("Refunded");
    expect(screen.queryByRole("form", { name: "Refund" })).not.toBeInTheDocument();
  });

  it("refuses more than remains, beside the field, and refunds nothing", async () => {
    const account = await signedInAs("user");
    const payment = await settledPayment(account.api, 1000);
    const { user } = openApp(`/payments/${payment.id}`);

    const form = await screen.findByRole("form", { name: "Refund" });
    const amount = within(form).getByLabelText("Amount");
    await user.type(amount, "10.01");
    await user.click(within(form).getByRole("button", { name: "Refund" }));

    expect(amount).toBeInvalid();
    expect(amount).toHaveAccessibleDescription(/At most \$10\.00 remains to refund/);
    const after = await account.api.payments.byId.query({ id: payment.id });
    expect(after.refundedAmount).toBe(0);
    expect(after.refunds).toHaveLength(0);
  });

  it("lets an admin refund someone else's payment, and hides the form from a guest", async () => {
    const owner = await createAccount("user");
    const payment = await settledPayment(owner.api, 2500);

    await signedInAs("admin");
    const admin = openApp(`/payments/${payment.id}`);
    expect(await screen.findByRole("form", { name: "Refund" })).toBeVisible();
    admin.unmount();

    await signedInAs("guest");
    openApp(`/payments/${payment.id}`);
    // A guest cannot read another's payment at all; it is not disclosed.
    expect(await screen.findByRole("heading", { level: 1, name: "Payment not found" })).toBeVisible();
    expect(screen.queryByRole("form", { name: "Refund" })).not.toBeInTheDocument();
  });
});
