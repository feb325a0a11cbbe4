import { expect, test } from "./support/fixtures.js";

// The newcomer's first run: no configuration at all, every adapter embedded.
test("embedded mode: the app shell and live status work with no configuration", async ({ page, signedInAs }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Gantry" })).toBeVisible();
  // The status page is an administrator's.
  await signedInAs("admin");
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
