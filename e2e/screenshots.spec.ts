import { expect, type Page, test } from "@playwright/test";
import { createAccount, giveBelongings, signIn } from "./support/belongings.js";

/**
 * Regenerates docs/screenshots/: the home, a pipeline and a payment, on a laptop and a phone.
 * Runs only when asked (SCREENSHOTS=1), so ordinary test runs do not rewrite committed files:
 *   SCREENSHOTS=1 E2E_PORT=3340 npx playwright test e2e/screenshots.spec.ts --project services
 * Viewport-sized PNGs (never full page) keep each file small.
 */
test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to regenerate docs/screenshots");
test.use({ colorScheme: "light" });

const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

async function shoot(page: Page, name: string) {
  // No caret, no half-finished transitions in the picture.
  await page.addStyleTag({ content: "*{caret-color:transparent!important;transition:none!important}" });
  await page.screenshot({ path: `docs/screenshots/${name}.png` });
}

test("screenshots of the home, a pipeline and a payment at both sizes", async ({ page, request }) => {
  test.setTimeout(180_000);
  const user = await createAccount(request, "user", "Ada Lovelace");
  const own = await giveBelongings(request, user.token);
  await signIn(page, user);
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.goto("/");
    await expect(page.getByTestId("home-run-live")).toHaveAttribute("data-status", "succeeded");
    await shoot(page, `home-${size}`);
    await page.goto(`/pipelines/${own.pipelineId}`);
    await expect(page.getByTestId("preview-table")).toBeVisible();
    await shoot(page, `pipeline-${size}`);
    await page.goto(`/payments/${own.paymentId}`);
    await expect(page.getByTestId("payment-status")).toHaveAttribute("data-status", "succeeded");
    await shoot(page, `payment-${size}`);
  }
});
