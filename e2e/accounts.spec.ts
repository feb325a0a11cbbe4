import { expect, PASSWORD, submitSignIn, test, uniqueEmail } from "./support/fixtures.js";

const NEW_PASSWORD = "Copper-lantern-5813";

test.describe("accounts", () => {
  test("sign up, rename, change the password, sign out and sign in with the new password", async ({ page }) => {
    const email = uniqueEmail("journey");
    await page.goto("/signup");
    const signup = page.getByRole("form", { name: "Sign up" });
    await signup.getByLabel("Name").fill("Ada Lovelace");
    await signup.getByLabel("Email").fill(email);
    await signup.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await signup.getByRole("button", { name: "Create account" }).click();
    const menu = page.getByTestId("user-menu");
    await expect(menu.getByTestId("user-name")).toHaveText("Ada Lovelace");
    await expect(menu.getByTestId("user-role")).toHaveText("user");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile" }).click();
    const profile = page.getByRole("form", { name: "Edit profile" });
    await profile.getByLabel("Name").fill("Ada King");
    await profile.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("profile-saved")).toBeVisible();
    await expect(menu.getByTestId("user-name")).toHaveText("Ada King");

    const passwordForm = page.getByRole("form", { name: "Change password" });
    await passwordForm.getByLabel("Current password").fill(PASSWORD);
    await passwordForm.getByLabel("New password").fill(NEW_PASSWORD);
    await passwordForm.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByTestId("password-changed")).toBeVisible();
    // The change replaced this browser's session: it is still signed in, also after a reload.
    await page.reload();
    await expect(menu.getByTestId("user-name")).toHaveText("Ada King");

    await menu.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(menu.getByRole("link", { name: "Sign in" })).toBeVisible();

    await submitSignIn(page, email, PASSWORD);
    await expect(page.getByTestId("form-error")).toContainText("Incorrect email or password.");
    await submitSignIn(page, email, NEW_PASSWORD);
    await expect(menu.getByTestId("user-name")).toHaveText("Ada King");
    await expect(page).toHaveURL(/\/$/);
  });

  test("a wrong password gets the one generic answer, as does an unknown email", async ({ page, createAccount }) => {
    const account = await createAccount("user", { name: "Grace Hopper" });
    await submitSignIn(page, account.email, "not-the-password");
    const error = page.getByTestId("form-error");
    await expect(error).toHaveText("Incorrect email or password.");
    await expect(page.getByRole("form", { name: "Sign in" }).getByLabel("Email")).toHaveValue(account.email);

    await submitSignIn(page, uniqueEmail("nobody"), "not-the-password");
    await expect(error).toHaveText("Incorrect email or password.");
    await expect(page.getByTestId("user-menu").getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  test("an administrator's role change and disabling reach the user's open browser at once", async ({
    page,
    browser,
    baseURL,
    signedInAs,
  }) => {
    const { email, password } = await signedInAs("user", { name: "Watched User" });
    await page.goto("/profile");
    await expect(page.getByRole("form", { name: "Edit profile" })).toBeVisible();

    const adminContext = await browser.newContext({ baseURL });
    try {
      const admin = await adminContext.newPage();
      await signedInAs("admin", { page: admin });
      const adminNav = admin.getByRole("navigation", { name: "Main" });
      await adminNav.getByRole("button", { name: "Admin" }).click();
      await adminNav.getByRole("link", { name: "Users" }).click();
      await admin.getByRole("search", { name: "Filter users" }).getByLabel("Email contains").fill(email);
      const row = admin.getByTestId("user-row").filter({ hasText: email });
      await expect(row).toHaveCount(1);
      await expect(admin).toHaveURL(/email=/);

      const roleSelect = row.getByLabel(`Role of ${email}`);
      await roleSelect.selectOption("guest");
      // A role change is confirmed first, in a dialog whose button names it.
      await admin.getByTestId("confirm-dialog").getByRole("button", { name: "Make guest" }).click();
      await expect(roleSelect).toHaveValue("guest");

      // No reload in the user's browser: auth.onAccount carries the change.
      await expect(page.getByTestId("user-role")).toHaveText("guest");
      await expect(page.getByTestId("profile-role")).toHaveText("guest");

      await row.getByRole("button", { name: `Disable ${email}` }).click();
      await admin.getByTestId("confirm-dialog").getByRole("button", { name: "Disable account" }).click();
      await expect(row.getByTestId("user-status")).toHaveText("Disabled");

      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByTestId("session-notice")).toContainText("Your session has ended");
      await expect(page.getByTestId("user-menu").getByRole("link", { name: "Sign in" })).toBeVisible();
      await submitSignIn(page, email, password);
      await expect(page.getByTestId("form-error")).toContainText("disabled");
    } finally {
      await adminContext.close();
    }
  });

  test("a guest sees a read-only app but changes their own name and password", async ({ page, signedInAs }) => {
    const guest = await signedInAs("guest", { name: "Guest Reader" });

    const nav = page.getByRole("navigation", { name: "Main" });
    // Guests read: no admin pages in their navigation.
    await expect(nav.getByRole("link", { name: "Profile" })).toBeVisible();
    await expect(nav.getByRole("link", { name: /users|audit|ledger|status/i })).toHaveCount(0);
    await expect(nav.getByRole("button", { name: "Admin" })).toHaveCount(0);

    // Their own account is theirs to change.
    await nav.getByRole("link", { name: "Profile" }).click();
    const nameForm = page.getByRole("form", { name: "Edit profile" });
    await nameForm.getByLabel("Name").fill("Guest Renamed");
    await nameForm.getByRole("button", { name: /save/i }).click();
    await expect(page.getByTestId("user-menu").getByTestId("user-name")).toHaveText("Guest Renamed");

    const passwordForm = page.getByRole("form", { name: "Change password" });
    await passwordForm.getByLabel("Current password").fill(guest.password);
    await passwordForm.getByLabel("New password", { exact: true }).fill("Lichen-orchard-2290");
    await passwordForm.getByRole("button", { name: /change password/i }).click();
    await expect(page.getByTestId("password-changed")).toBeVisible();

    // Nothing else opens up: no pay form, no admin pages.
    await nav.getByRole("link", { name: "Payments" }).click();
    await expect(page.getByRole("form", { name: "Pay" })).toHaveCount(0);

    await page.goto("/admin/users");
    await expect(page.getByRole("heading", { level: 1, name: "Not allowed" })).toBeVisible();
    await page.goto("/admin/audit");
    await expect(page.getByTestId("not-allowed")).toBeVisible();
  });

  test("the audit log shows new entries live, newest first", async ({ page, signedInAs, createAccount }) => {
    await signedInAs("admin");
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("button", { name: "Admin" }).click();
    await nav.getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "open");
    await expect(page.getByRole("columnheader", { name: "When" })).toHaveAttribute("aria-sort", "descending");

    // Something happens elsewhere: the entry appears at the top without a reload.
    const account = await createAccount("user", { name: "Live Entry" });
    const first = page.getByTestId("audit-row").first();
    await expect(first).toHaveAttribute("data-new", "true");
    // Its registration, once (entries the new account made itself also name it, as their actor).
    await expect(
      page.getByTestId("audit-row").filter({ hasText: account.email }).filter({ hasText: "user.registered" }),
    ).toHaveCount(1);

    // Filtering keeps to the type and lives in the address.
    await page.getByRole("search", { name: "Filter audit log" }).getByLabel("Type contains").fill("user.registered");
    await expect(page).toHaveURL(/type=user.registered/);
    await expect(page.getByTestId("audit-type").first()).toHaveText("user.registered");
    await page.reload();
    await expect(page.getByLabel("Type contains")).toHaveValue("user.registered");
    await expect(page.getByTestId("audit-type").first()).toHaveText("user.registered");
    for (const type of await page.getByTestId("audit-type").allTextContents()) expect(type).toBe("user.registered");
  });
});
