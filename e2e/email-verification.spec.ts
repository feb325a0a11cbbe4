import { expect, type Page, test } from "@playwright/test";
import { linkIn, newestMail } from "./support/mail.js";

const PASSWORD = "Amber-meadow-4471";
let counter = 0;
const uniqueEmail = (tag: string) => `${tag}-${Date.now()}-${++counter}@gantry.test`;

async function signUp(page: Page, name: string, email: string) {
  await page.goto("/signup");
  const form = page.getByRole("form", { name: "Sign up" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("user-name")).toHaveText(name);
}

test.describe("email verification", () => {
  test("a new account sees the banner, resends, opens the mailed link and is verified; a used link is refused", async ({
    page,
    baseURL,
  }) => {
    const email = uniqueEmail("verify");
    await signUp(page, "Vera Verify", email);
    const banner = page.getByTestId("verify-banner");
    await expect(banner).toContainText(`open the link we sent to ${email}`);

    // The first link, then a resend: only the newest link works.
    const first = linkIn(
      await newestMail(baseURL ?? "", email, "Verify your Gantry email address"),
      "/verify-email?token=",
    );
    await banner.getByRole("button", { name: "Resend verification email" }).click();
    await expect(banner.getByTestId("verification-resent")).toHaveText("Sent. Check your inbox.");
    let second = first;
    await expect
      .poll(async () => {
        second = linkIn(
          await newestMail(baseURL ?? "", email, "Verify your Gantry email address"),
          "/verify-email?token=",
        );
        return second;
      })
      .not.toBe(first);

    await page.goto(first);
    await expect(page.getByTestId("verify-failed")).toContainText("invalid or has expired");
    await expect(page.getByTestId("verify-banner")).toBeVisible();

    await page.goto(second);
    await expect(page.getByTestId("email-verified")).toContainText("Your email address is verified");
    await expect(page.getByTestId("verify-banner")).toHaveCount(0);
    await page.goto("/profile");
    await expect(page.getByTestId("email-state")).toHaveText("Verified");

    // Opening it again: single use.
    await page.goto(second);
    await expect(page.getByTestId("verify-failed")).toBeVisible();
  });

  test("changing the email needs the password, tells the old address and asks to verify the new one", async ({
    page,
    baseURL,
  }) => {
    const email = uniqueEmail("mover");
    const newEmail = uniqueEmail("moved");
    await signUp(page, "Max Mover", email);
    await page.goto(
      linkIn(await newestMail(baseURL ?? "", email, "Verify your Gantry email address"), "/verify-email?token="),
    );
    await expect(page.getByTestId("email-verified")).toBeVisible();

    await page.goto("/profile");
    const form = page.getByRole("form", { name: "Change email" });
    await form.getByLabel("New email").fill(newEmail);
    await form.getByLabel("Password").fill("not-my-password-at-all");
    await form.getByRole("button", { name: "Change email" }).click();
    await expect(form.getByText("Your password is not correct")).toBeVisible();
    await form.getByLabel("Password").fill(PASSWORD);
    await form.getByRole("button", { name: "Change email" }).click();
    await expect(page.getByTestId("email-changed")).toBeVisible();
    await expect(page.getByTestId("email-state")).toHaveText("Not verified");
    await expect(page.getByTestId("verify-banner")).toContainText(newEmail);

    const notice = await newestMail(baseURL ?? "", email, "Your Gantry email address was changed");
    expect(notice).toContain("contact an administrator");
    await page.goto(
      linkIn(await newestMail(baseURL ?? "", newEmail, "Verify your Gantry email address"), "/verify-email?token="),
    );
    await expect(page.getByTestId("email-verified")).toBeVisible();
    await page.goto("/profile");
    await expect(page.getByTestId("profile-email")).toHaveText(newEmail);
    await expect(page.getByTestId("email-state")).toHaveText("Verified");
  });
});
