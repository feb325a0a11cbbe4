import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { formatMoney } from "../../../shared/money";
import { openApp, signedInAs } from "../../testing/screen";

describe("the pay form", () => {
  it("pays with a test card and opens the payment, which settles before the user's eyes", async () => {
    await signedInAs("user");
    const { user, router } = openApp("/payments");
    const form = await screen.findByRole("form", { name: "Pay" });

    await user.type(within(form).getByLabelText("Amount"), "12.34");
    await user.click(within(form).getByRole("radio", { name: /Mastercard \(succeeds\)/ }));
    await user.type(within(form).getByLabelText("Description"), "Screen test coffee");
    // The button says what will be charged.
    await user.click(within(form).getByRole("button", { name: `Pay ${formatMoney(1234, "USD")}` }));

    expect(
      await screen.findByRole("heading", { level: 1, name: `Payment of ${formatMoney(1234, "USD")}` }),
    ).toBeVisible();
    expect(router.state.location.pathname).toMatch(/^\/payments\/[0-9a-f-]{36}$/);
    const summary = screen.getByTestId("payment-summary");
    expect(await within(summary).findByText("Succeeded")).toBeVisible();
    expect(within(summary).getByTestId("payment-amount")).toHaveTextContent(formatMoney(1234, "USD"));
  });

  it("says what is wrong with the amount, beside the field, and sends nothing", async () => {
    const account = await signedInAs("user");
    const { user } = openApp("/payments");
    const form = await screen.findByRole("form", { name: "Pay" });
    const amount = within(form).getByLabelText("Amount");

    await user.type(amount, "twelve");
    await user.click(within(form).getByRole("button", { name: "Pay" }));
    expect(amount).toBeInvalid();
    expect(amount).toHaveAccessibleDescription(/Enter an amount like/);

    await user.clear(amount);
    await user.type(amount, "0");
    await user.click(within(form).getByRole("button", { name: /^Pay\b/ }));
    expect(amount).toHaveAccessibleDescription(/greater than zero/);

    expect(screen.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
    const payments = await account.api.payments.list.query({});
    expect(payments.total).toBe(0);
  });

  it("shows a declined card as failed, with the reason", async () => {
    await signedInAs("user");
    const { user } = openApp("/payments");
    const form = await screen.findByRole("form", { name: "Pay" });
    await user.type(within(form).getByLabelText("Amount"), "5");
    await user.click(within(form).getByRole("radio", { name: /Declined card/ }));
    await user.click(within(form).getByRole("button", { name: `Pay ${formatMoney(500, "USD")}` }));

    const summary = await screen.findByTestId("payment-summary");
    expect(await within(summary).findByText("Failed")).toBeVisible();
    expect(within(summary).getByRole("alert")).toHaveTextContent("Your card was declined");
    expect(screen.queryByRole("form", { name: "Refund" })).not.toBeInTheDocument();
  });

  it("is not offered to a guest, who may only look", async () => {
    await signedInAs("guest");
    openApp("/payments");
    expect(await screen.findByRole("heading", { level: 2, name: "Your payments" })).toBeVisible();
    expect(screen.queryByRole("form", { name: "Pay" })).not.toBeInTheDocument();
  });
});
