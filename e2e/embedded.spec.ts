import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./support/accounts.js";

// The newcomer's first run: no configuration at all, every adapter embedded.
test("embedded mode: the app shell and live status work with no configuration", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Gantry" })).toBeVisible();
  await page.goto("/login");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(E2E_ADMIN.email);
  await form.getByLabel("Password", { exact: true }).fill(E2E_ADMIN.password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
  await page.goto("/admin/status");
  const panel = page.getByTestId("status-panel");
  await expect(panel.getByTestId("status-mode")).toHaveText("embedded");
  await expect(panel.getByTestId("status-overall")).toHaveText("up");
  const statuses = panel.getByTestId("dependency-status");
  await expect(statuses).toHaveCount(4);
  await expect(statuses).toHaveText(["up", "up", "up", "up"]);
  await expect(page.getByTestId("ws-state")).toHaveAttribute("data-state", "open");
});
