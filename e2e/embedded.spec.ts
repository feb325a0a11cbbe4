import { expect, test } from "./support/fixtures.js";

// The newcomer's first run: no configuration at all, every adapter embedded.
test("embedded mode: the app shell and live status work with no configuration", async ({ page }) => {
  await page.goto("/");
  const panel = page.getByTestId("status-panel");
  await expect(panel.getByTestId("status-mode")).toHaveText("embedded");
  await expect(panel.getByTestId("status-overall")).toHaveText("up");
  const statuses = panel.getByTestId("dependency-status");
  await expect(statuses).toHaveCount(4);
  await expect(statuses).toHaveText(["up", "up", "up", "up"]);
  await expect(page.getByTestId("ws-state")).toHaveAttribute("data-state", "open");
});
