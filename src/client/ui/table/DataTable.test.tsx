import { screen, waitFor, within } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import { formatMoney } from "../../../shared/money";
import { settledPayment } from "../../testing/payments";
import { type Account, createAccount, openApp, signIn } from "../../testing/screen";

/** The DataTable as users meet it, on the payments list: server-side paging, sorting and filters, state in the URL. */
describe("the data table", () => {
  let account: Account;
  beforeAll(async () => {
    account = await createAccount("user");
    // Eleven that succeed, 1.00 to 11.00 USD, and one declined of 50.00: twelve rows, two pages of ten.
    for (let dollars = 1; dollars <= 11; dollars += 1) await settledPayment(account.api, dollars * 100);
    await settledPayment(account.api, 5000, { paymentMethod: "pm_card_chargeDeclined" });
  });

  /** The browser, signed in as the account that owns the payments. */
  async function openList(search = "") {
    await signIn(account);
    return openApp(`/payments${search}`);
  }

  function amounts(table: HTMLElement): string[] {
    const rows = within(table).getAllByRole("row").slice(1);
    const amountColumn = within(table)
      .getAllByRole("columnheader")
      .findIndex((header) => header.textContent?.startsWith("Amount"));
    return rows.map((row) => within(row).getAllByRole("cell")[amountColumn]?.textContent ?? "");
  }

  it("shows the total and pages through it, keeping the page in the address", async () => {
    const { user, router } = await openList("?size=10");
    const table = await screen.findByRole("table", { name: "Payments" });
    expect(await screen.findByText("12 payments")).toBeVisible();
    const pages = screen.getByRole("navigation", { name: "Payments pages" });
    expect(within(pages).getByTestId("page-position")).toHaveTextContent("Page 1 of 2");
    await waitFor(() => expect(amounts(table)).toHaveLength(10));

    await user.click(within(pages).getByRole("button", { name: "Next" }));
    await waitFor(() => expect(within(pages).getByTestId("page-position")).toHaveTextContent("Page 2 of 2"));
    await waitFor(() => expect(amounts(table)).toHaveLength(2));
    expect(within(pages).getByRole("button", { name: "Next" })).toBeDisabled();
    expect(new URLSearchParams(router.state.location.search).get("page")).toBe("2");

    await user.selectOptions(within(pages).getByLabelText("Rows per page"), "20");
    await waitFor(() => expect(amounts(table)).toHaveLength(12));
    expect(within(pages).getByTestId("page-position")).toHaveTextContent("Page 1 of 1");
  });

  it("sorts by a column when its header is pressed, and says so", async () => {
    const { user } = await openList("?size=10");
    const table = await screen.findByRole("table", { name: "Payments" });
    await screen.findByText("12 payments");
    const header = within(table).getByRole("columnheader", { name: /Amount/ });
    expect(header).toHaveAttribute("aria-sort", "none");

    await user.click(within(header).getByRole("button"));
    const first = header.getAttribute("aria-sort");
    expect(["ascending", "descending"]).toContain(first);
    const smallestFirst = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => formatMoney(d * 100, "USD"));
    const largestFirst = [50, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((d) => formatMoney(d * 100, "USD"));
    await waitFor(() => expect(amounts(table)).toEqual(first === "ascending" ? smallestFirst : largestFirst));

    await user.click(within(header).getByRole("button"));
    expect(header).toHaveAttribute("aria-sort", first === "ascending" ? "descending" : "ascending");
    await waitFor(() => expect(amounts(table)).toEqual(first === "ascending" ? largestFirst : smallestFirst));
  });

  it("filters on the server, and says when nothing matches", async () => {
    const { user } = await openList();
    const table = await screen.findByRole("table", { name: "Payments" });
    await screen.findByText("12 payments");
    const filters = screen.getByLabelText("Filter payments"); // jsdom knows no implicit role for <search>;

    await user.selectOptions(within(filters).getByLabelText("Status"), "Failed");
    expect(await screen.findByText("1 payment")).toBeVisible();
    expect(amounts(table)).toEqual([formatMoney(5000, "USD")]);

    await user.selectOptions(within(filters).getByLabelText("Currency"), "EUR");
    expect(await screen.findByText("0 payments")).toBeVisible();
    expect(within(table).getByText("No payments match these filters.")).toBeVisible();
  });
});
