import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./support/accounts.js";
import {
  adminAccount,
  createAccount,
  FIXTURE_PASSWORD,
  giveBelongings,
  signIn,
  uniqueEmail,
} from "./support/belongings.js";
import { type AuthAnswer, mutate } from "./support/trpc.js";

test.use({ colorScheme: "light" });
// Generous: these journeys share a busy machine with other checkouts.
test.describe.configure({ timeout: 120_000 });

test.describe("home", () => {
  test("a visitor gets a landing with the ways in; a newcomer is told what to do first", async ({ page, request }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Gantry" })).toBeVisible();
    const main = page.getByRole("main");
    await expect(main.getByRole("link", { name: "Sign up" })).toBeVisible();
    await main.getByRole("link", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/login/);

    const newcomer = await createAccount(request, "user", "New Comer");
    await signIn(page, newcomer);
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
    const firstSteps = page.getByTestId("first-steps");
    await expect(firstSteps).toBeVisible();
    await expect(page.getByTestId("home-payments-empty")).toHaveText("No payments yet.");
    await firstSteps.getByRole("link", { name: "Make a payment" }).click();
    await expect(page.getByRole("form", { name: "Pay" })).toBeVisible();
    await page.goBack();
    await firstSteps.getByRole("link", { name: "Upload a data set" }).click();
    await expect(page.getByRole("form", { name: "Upload a data set" })).toBeVisible();
  });

  test("a user's home lists their payments, data sets and runs with their states", async ({ page, request }) => {
    const user = await createAccount(request, "user", "Busy User");
    await giveBelongings(request, user.token);
    await signIn(page, user);
    await page.goto("/");
    await expect(page.getByTestId("first-steps")).toHaveCount(0);
    await expect(page.getByTestId("home-payment")).toHaveCount(1);
    await expect(page.getByTestId("home-payment")).toContainText("$12.50 · Coffee beans");
    await expect(page.getByTestId("home-payment").locator("[data-status]")).toHaveAttribute("data-status", "succeeded");
    // The run's output is a data set too: both are listed.
    await expect(page.getByTestId("home-dataset")).toHaveCount(2);
    await expect(page.getByTestId("home-dataset").filter({ hasText: "City sales" })).toContainText("Ready");
    await expect(page.getByTestId("home-run")).toHaveCount(1);
    await expect(page.getByTestId("home-run-live")).toHaveAttribute("data-status", "succeeded");
    // Administration is an admin's.
    await expect(page.getByTestId("home-admin")).toHaveCount(0);

    await page.getByTestId("home-payment").getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1, name: "Payment of $12.50" })).toBeVisible();
  });

  test("an admin's home adds the accounts count, recent audit entries and the event backlog", async ({
    page,
    request,
  }) => {
    await createAccount(request, "user", "Counted User");
    const admin = await adminAccount(request);
    await signIn(page, admin);
    await page.goto("/");
    const overview = page.getByTestId("home-admin");
    await expect(overview.getByTestId("home-user-count")).toHaveText(/^\d+$/);
    expect(Number(await overview.getByTestId("home-user-count").textContent())).toBeGreaterThanOrEqual(2);
    await expect(overview.getByTestId("home-audit").getByRole("listitem").first()).toContainText(/\w+\.\w+/);
    await expect(overview.getByTestId("home-events-health")).toHaveAttribute("data-status", "up");
    await overview.getByRole("link", { name: "Status" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Status" })).toBeVisible();
  });
});

test.describe("navigation", () => {
  test("at 1280 px the header is one line and the admin pages sit under one Admin button", async ({
    page,
    request,
  }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, await adminAccount(request));
    const header = page.locator("header.app-header");
    const height = (await header.boundingBox())?.height ?? 0;
    expect(height).toBeLessThan(70);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
    await expect(nav.getByRole("link", { name: "Users" })).toBeHidden();
    const admin = nav.getByRole("button", { name: "Admin" });
    await admin.click();
    await expect(admin).toHaveAttribute("aria-expanded", "true");
    await expect(nav.getByRole("link", { name: "Users" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(admin).toHaveAttribute("aria-expanded", "false");
    await expect(admin).toBeFocused();
    await expect(nav.getByRole("link", { name: "Users" })).toBeHidden();
  });

  test("on a phone a Menu button opens the navigation, which closes on navigating and moves focus to the heading", async ({
    page,
    request,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const user = await createAccount(request, "user", "Phone User");
    await signIn(page, user);
    await page.goto("/");
    const menu = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();

    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(nav).toBeVisible();
    await expect(page.getByTestId("user-menu").getByRole("button", { name: "Sign out" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(nav).toBeHidden();
    await expect(menu).toBeFocused();

    await menu.click();
    await nav.getByRole("link", { name: "Payments" }).click();
    await expect(nav).toBeHidden();
    // The new page's heading has the focus: a screen reader announces where the user is.
    await expect(page.getByRole("heading", { level: 1, name: "Payments" })).toBeFocused();
    const widths = (await page.evaluate(
      "({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })",
    )) as { scroll: number; inner: number };
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
  });

  test("a deep link renders without React Router's missing-HydrateFallback warning", async ({ page, request }) => {
    const warnings: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "warning" || message.type() === "error") warnings.push(message.text());
    });
    await signIn(page, await createAccount(request, "user", "Deep Linker"));
    await page.goto("/payments");
    await expect(page.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
    await page.goto("/profile");
    await expect(page.getByRole("heading", { level: 1, name: "Your profile" })).toBeVisible();
    expect(warnings.filter((text) => text.includes("HydrateFallback"))).toEqual([]);
  });
});

test.describe("small things", () => {
  test("a long email wraps inside the profile card on a phone, shown whole", async ({ page, request }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const email = `a-very-long-mailbox-name-that-goes-on-${uniqueEmail("and-on")}`;
    await mutate<AuthAnswer>(request, "auth.signup", { email, password: FIXTURE_PASSWORD, name: "Long Mail" });
    await signIn(page, { email, password: FIXTURE_PASSWORD });
    await page.goto("/profile");
    const shown = page.getByTestId("profile-email");
    await expect(shown).toHaveText(email);
    const card = page.getByTestId("profile-panel");
    const cardBox = await card.boundingBox();
    const emailBox = await shown.boundingBox();
    expect(cardBox && emailBox).toBeTruthy();
    if (cardBox && emailBox) expect(emailBox.x + emailBox.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
  });

  test("finished background work says so in a toast, on whatever page the user is", async ({ page, request }) => {
    const user = await createAccount(request, "user", "Toast Reader");
    await signIn(page, user);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Payments" }).click();
    const form = page.getByRole("form", { name: "Pay" });
    await form.getByLabel("Amount").fill("3.20");
    await form.getByLabel("Currency").selectOption("USD");
    await form.getByRole("radio", { name: /settles after/i }).check();
    await form.getByLabel("Description").fill("Slow tea");
    await form.getByRole("button", { name: "Pay" }).click();
    await expect(page).toHaveURL(/\/payments\/[0-9a-f-]{36}$/);
    // Leave before it settles: the toast follows the user.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
    const toast = page.getByTestId("toast").filter({ hasText: "Payment “Slow tea” settled." });
    await expect(toast).toBeVisible({ timeout: 20_000 });
    // Inside the polite live region, so screen readers announce it.
    await expect(page.getByRole("status").filter({ has: toast })).toHaveAttribute("aria-live", "polite");
    await toast.getByRole("link", { name: "View payment" }).click();
    await expect(page.getByTestId("payment-status")).toHaveAttribute("data-status", "succeeded");
    await page.getByTestId("toast").getByRole("button", { name: "Dismiss notification" }).click();
    await expect(page.getByTestId("toast")).toHaveCount(0);
  });

  test("a guest's navigation has no admin menu and the bootstrapped admin's has one", async ({ page, request }) => {
    await signIn(page, await createAccount(request, "guest", "Guest Nav"));
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Admin" })).toHaveCount(0);
    await page.getByTestId("user-menu").getByRole("button", { name: "Sign out" }).click();
    await signIn(page, { email: E2E_ADMIN.email, password: E2E_ADMIN.password });
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Admin" })).toBeVisible();
  });
});
