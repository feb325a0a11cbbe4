import { expect, type Page, test } from "@playwright/test";
import { Secret, TOTP } from "otpauth";

/**
 * Two-factor authentication as a person meets it: set up an authenticator app from the
 * profile page (the test plays the app, computing codes from the key the page shows), keep
 * the recovery codes, sign out, and sign in again with a code, then with a recovery code.
 */

const PASSWORD = "Amber-trellis-4471";

/** What the phone app would show at `timestamp` for the key typed from the page. */
function appCode(manualKey: string, timestamp: number): string {
  const secret = Secret.fromBase32(manualKey.replaceAll(" ", ""));
  return TOTP.generate({ secret, algorithm: "SHA1", digits: 6, period: 30, timestamp });
}

async function signOut(page: Page) {
  await page.getByTestId("user-menu").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

async function passwordStep(page: Page, email: string) {
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await form.getByRole("button", { name: "Sign in" }).click();
  return page.getByRole("form", { name: "Two-factor authentication" });
}

test("set up an authenticator app, then sign in with a code and with a recovery code", async ({ page }) => {
  // Three sign-ins and an enrolment: longer than one journey's default.
  test.setTimeout(120_000);
  const email = `two-factor-${Date.now()}@gantry.test`;
  await page.goto("/signup");
  const signup = page.getByRole("form", { name: "Sign up" });
  await signup.getByLabel("Name").fill("Hedy Lamarr");
  await signup.getByLabel("Email").fill(email);
  await signup.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await signup.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("user-name")).toHaveText("Hedy Lamarr");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile" }).click();
  const panel = page.getByTestId("two-factor-panel");
  await expect(panel.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await panel.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(panel.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const manualKey = (await panel.getByTestId("two-factor-manual-key").textContent()) ?? "";
  expect(manualKey).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);

  const confirm = panel.getByRole("form", { name: "Confirm two-factor authentication" });
  await confirm.getByLabel("Code from the app").fill("000000");
  await confirm.getByRole("button", { name: "Turn on" }).click();
  await expect(confirm.getByTestId("code-errors")).toContainText("not right");
  await confirm.getByLabel("Code from the app").fill(appCode(manualKey, Date.now()));
  await confirm.getByRole("button", { name: "Turn on" }).click();

  const codes = panel.getByTestId("recovery-codes").locator("code");
  await expect(codes).toHaveCount(10);
  const recoveryCodes = await codes.allTextContents();
  await panel.getByRole("button", { name: "I have saved these codes" }).click();
  await expect(panel.getByTestId("two-factor-on")).toBeVisible();
  await expect(panel.getByTestId("recovery-codes-left")).toHaveText("10");

  // Signing in now takes the password, then a code from the app.
  await signOut(page);
  let codeStep = await passwordStep(page, email);
  await expect(codeStep).toBeVisible();
  await expect(page.getByTestId("user-menu").getByRole("link", { name: "Sign in" })).toBeVisible();
  await codeStep.getByLabel("Authentication code").fill("123456");
  await codeStep.getByRole("button", { name: "Verify" }).click();
  await expect(codeStep.getByTestId("code-errors")).toContainText("not right");
  // The enrolment used this 30-second step's code: the app's next code is accepted (one step of drift).
  await codeStep.getByLabel("Authentication code").fill(appCode(manualKey, Date.now() + 30_000));
  await codeStep.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("user-name")).toHaveText("Hedy Lamarr");
  await expect(page).toHaveURL(/\/$/);

  // Without the phone: a recovery code, typed in capitals, opens one sign-in.
  await signOut(page);
  codeStep = await passwordStep(page, email);
  await codeStep.getByLabel("Authentication code").fill((recoveryCodes[0] ?? "").toUpperCase());
  await codeStep.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("user-name")).toHaveText("Hedy Lamarr");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile" }).click();
  await expect(page.getByTestId("recovery-codes-left")).toHaveText("9");

  // That recovery code is spent.
  await signOut(page);
  codeStep = await passwordStep(page, email);
  await codeStep.getByLabel("Authentication code").fill(recoveryCodes[0] ?? "");
  await codeStep.getByRole("button", { name: "Verify" }).click();
  await expect(codeStep.getByTestId("code-errors")).toContainText("not right");
  await expect(page.getByTestId("user-menu").getByRole("link", { name: "Sign in" })).toBeVisible();
});
