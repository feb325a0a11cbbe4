import { randomUUID } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./accounts.js";
import { type AuthAnswer, mutate, query } from "./trpc.js";

/**
 * The journeys' shared setup, typed, as Playwright fixtures (`test.extend`). Accounts, data
 * sets and payments are made over the API, which is not what these journeys test; the
 * journeys then use the browser as a person would. Each test makes its own accounts: the
 * server (and its database) is shared by the whole run.
 */
export type Role = "admin" | "user" | "guest";

export interface Account {
  id: string;
  name: string;
  email: string;
  password: string;
  role: Role;
  /** A bearer token of its own session, for API calls apart from the browser's. */
  token: string;
}

interface AccountOptions {
  /** The display name; a default names the role. */
  name?: string;
}

interface Fixtures {
  /** A fresh account of `role` ("admin" is the bootstrap admin), not signed in anywhere. */
  createAccount(role: Role, options?: AccountOptions): Promise<Account>;
  /**
   * Signs `page` (the test's own page unless given, e.g. a second browser context's) in as a
   * fresh account of `role`, or as the bootstrap admin; the page is left on the home page.
   */
  signedInAs(role: Role, options?: AccountOptions & { page?: Page }): Promise<Account>;
  /** A CSV data set of `owner`, uploaded over the API and imported; resolves with its id. */
  createDataset(owner: Account, dataset: { name: string; csv: string }): Promise<string>;
  /** A payment of `payer` through the sandbox (`pm_card_visa` unless told), not waited for. */
  createPayment(
    payer: Account,
    payment: { amount: number; currency?: string; paymentMethod?: string; description?: string },
  ): Promise<{ id: string }>;
}

/** Long, unusual passwords: the server refuses common ones. */
export const PASSWORD = "Quiet-harbour-2291";

let counter = 0;
/**
 * An email no other test (of this run or an earlier one) has used; short, because the audit
 * log's details shorten long values and a journey looks an account up there by its email.
 */
export function uniqueEmail(tag: string): string {
  counter += 1;
  return `${tag}-${Date.now().toString(36)}-${counter}@gantry.test`;
}

export const test = base.extend<Fixtures>({
  createAccount: async ({ request }, use) => {
    await use(async (role, options = {}) => {
      if (role === "admin") {
        const admin = await mutate<AuthAnswer>(request, "auth.login", E2E_ADMIN);
        return { ...admin.user, role, password: E2E_ADMIN.password, token: admin.accessToken };
      }
      const email = uniqueEmail(role);
      const name = options.name ?? (role === "guest" ? "Guest Reader" : "Journey User");
      const created = await mutate<AuthAnswer>(request, "auth.signup", { email, password: PASSWORD, name });
      if (role !== "user") {
        const admin = await mutate<AuthAnswer>(request, "auth.login", E2E_ADMIN);
        await mutate(request, "users.setRole", { userId: created.user.id, role }, admin.accessToken);
      }
      return { ...created.user, role, password: PASSWORD, token: created.accessToken };
    });
  },

  signedInAs: async ({ page, createAccount }, use) => {
    await use(async (role, options = {}) => {
      const account = await createAccount(role, options);
      const target = options.page ?? page;
      // Through the page's own request context: the session cookie lands in its browser context.
      await mutate(target.request, "auth.login", { email: account.email, password: account.password });
      await target.goto("/");
      await expect(target.getByTestId("user-menu").getByTestId("user-name")).toHaveText(account.name);
      await expect(target.getByTestId("user-role")).toHaveText(role);
      return account;
    });
  },

  createDataset: async ({ request }, use) => {
    await use(async (owner, dataset) => {
      const response = await request.post(`/api/datasets?name=${encodeURIComponent(dataset.name)}&format=csv`, {
        headers: { authorization: `Bearer ${owner.token}`, "content-type": "text/csv" },
        data: Buffer.from(dataset.csv, "utf8"),
      });
      expect(response.status()).toBe(202);
      const { datasetId } = (await response.json()) as { datasetId: string };
      await expect
        .poll(
          async () =>
            (await query<{ status: string }>(request, "pipelines.datasets.byId", { id: datasetId }, owner.token))
              .status,
        )
        .toBe("ready");
      return datasetId;
    });
  },

  createPayment: async ({ request }, use) => {
    await use(async (payer, payment) =>
      mutate<{ id: string }>(
        request,
        "payments.create",
        {
          amount: payment.amount,
          currency: payment.currency ?? "USD",
          paymentMethod: payment.paymentMethod ?? "pm_card_visa",
          description: payment.description,
          idempotencyKey: randomUUID(),
        },
        payer.token,
      ),
    );
  },
});

export { expect };

/** Fills and sends the sign-in form (going to /login first unless already there). */
export async function submitSignIn(page: Page, email: string, password: string) {
  if (!new URL(page.url()).pathname.startsWith("/login")) await page.goto("/login");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password", { exact: true }).fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}
export type { Page } from "@playwright/test";
