import { expect, type Page, test } from "./support/fixtures.js";

// A fixed starting point: the first visit follows the system preference, here light.
test.use({ colorScheme: "light" });

/** The mode the server under test runs in: each Playwright project starts one (playwright.config.ts). */
function expectedMode(): RegExp {
  const project = test.info().project.name;
  return project === "embedded" || project === "services" ? new RegExp(`^${project}$`) : /^(embedded|services)$/;
}

/** The Status page is an administrator's: open it from the Admin menu. */
async function openStatus(page: Page) {
  await expect(page.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("button", { name: "Admin" }).click();
  await nav.getByRole("link", { name: "Status" }).click();
  await expect(page).toHaveURL(/\/admin\/status$/);
}

test.describe("app shell", () => {
  test("shows the navigation and, to an admin, the live status of every dependency", async ({
    page,
    request,
    signedInAs,
  }) => {
    await signedInAs("admin");
    await openStatus(page);

    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeVisible();
    // The Admin menu closed on navigating; opened again, it marks Status as the current page.
    await nav.getByRole("button", { name: "Admin" }).click();
    await expect(nav.getByRole("link", { name: "Status" })).toHaveAttribute("aria-current", "page");
    await page.keyboard.press("Escape");
    await expect(page.getByRole("heading", { level: 1, name: "Status" })).toBeVisible();

    const panel = page.getByTestId("status-panel");
    await expect(panel.getByTestId("status-mode")).toHaveText(expectedMode());
    await expect(panel.getByTestId("status-version")).toHaveText(/\S/);
    await expect(panel.getByTestId("status-overall")).toHaveText("up");

    // The panel lists exactly the dependencies the server checks, each one up.
    const ready = await request.get("/readyz");
    expect(ready.ok()).toBe(true);
    const { dependencies } = (await ready.json()) as { dependencies: Array<{ name: string }> };
    expect(dependencies.length).toBeGreaterThan(0);
    const rows = panel.getByTestId("dependency");
    await expect(rows).toHaveCount(dependencies.length);
    for (const { name } of dependencies) {
      await expect(
        rows.filter({ has: page.getByRole("rowheader", { name, exact: true }) }).getByTestId("dependency-status"),
      ).toHaveText("up");
    }
  });

  test("the live clock ticks over the WebSocket", async ({ page, signedInAs }) => {
    await signedInAs("admin");
    await openStatus(page);
    await expect(page.getByTestId("ws-state")).toHaveAttribute("data-state", "open");

    const clock = page.getByTestId("live-clock");
    // A tick has arrived once the clock carries a timestamp.
    await expect(clock).toHaveAttribute("datetime", /\d{4}-\d\d-\d\dT/);
    const first = await clock.getAttribute("datetime");
    const firstText = await clock.textContent();
    // The server ticks once a second; within 3 s the clock must have moved, on screen too.
    await expect(clock).not.toHaveAttribute("datetime", first ?? "", { timeout: 3_000 });
    await expect(clock).not.toHaveText(firstText ?? "", { timeout: 3_000 });
  });

  test("the theme toggle switches the theme and the choice survives a reload", async ({ page }) => {
    await page.goto("/");
    const html = page.locator("html");
    const toggle = page.getByRole("button", { name: "Dark theme" });

    await expect(html).toHaveAttribute("data-theme", "light");
    await expect(toggle).toHaveAttribute("aria-pressed", "false");

    await toggle.click();
    await expect(html).toHaveAttribute("data-theme", "dark");
    await expect(toggle).toHaveAttribute("aria-pressed", "true");

    await page.reload();
    await expect(html).toHaveAttribute("data-theme", "dark");
    await expect(page.getByRole("button", { name: "Dark theme" })).toHaveAttribute("aria-pressed", "true");

    await page.getByRole("button", { name: "Dark theme" }).click();
    await expect(html).toHaveAttribute("data-theme", "light");
  });

  test("an unknown address shows a not-found page inside the shell", async ({ page }) => {
    await page.goto("/no/such/page");
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await page.getByRole("link", { name: "Go to the home page" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { level: 1, name: "Gantry" })).toBeVisible();
  });
});
