import { expect, type Page, test } from "@playwright/test";
import { E2E_OIDC } from "./support/oidc.js";
import { type AuthAnswer, mutate } from "./support/trpc.js";

// The services server runs a real OpenID Connect provider in-process (E2E_OIDC=1, see
// e2e/support/server.ts): any login signs in there, with the email <login>@sso.gantry.test.
const PASSWORD = "Amber-kestrel-4417";
const stamp = () => `${Date.now()}-${Math.floor(Math.random() * 1000)}`;

/** At the provider's sign-in page: log in as `login` (any password). */
async function signInAtProvider(page: Page, login: string) {
  await expect(page.getByRole("heading", { name: "Test provider" })).toBeVisible();
  await page.getByLabel("Login").fill(login);
  await page.getByLabel("Password").fill("whatever the provider takes");
  await page.getByRole("button", { name: "Sign in at the provider" }).click();
}

async function signInWithPassword(page: Page, email: string) {
  await page.goto("/login");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await form.getByRole("button", { name: "Sign in" }).click();
}

test.describe("single sign-on", () => {
  // Each journey makes several round trips through the provider: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);

  test("a newcomer clicks “Sign in with Test ID”, logs in at the provider and lands signed in", async ({ page }) => {
    const login = `newcomer-${stamp()}`;
    await page.goto("/datasets");
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.getByRole("link", { name: `Sign in with ${E2E_OIDC.name}` }).click();
    await signInAtProvider(page, login);

    // Back in Gantry, signed in on the page the person came for.
    await expect(page).toHaveURL(/\/datasets$/);
    await expect(page.getByTestId("user-name")).toHaveText(login);
    await expect(page.getByTestId("user-role")).toHaveText("user");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile" }).click();
    await expect(page.getByTestId("profile-email")).toHaveText(`${login}@${E2E_OIDC.emailDomain}`);
    const panel = page.getByTestId("sso-panel");
    await expect(panel.getByTestId("sso-identity")).toHaveCount(1);
    await expect(panel.getByTestId("sso-no-password")).toBeVisible();
    // Its only way in: unlinking is refused with a reason.
    await panel.getByRole("button", { name: "Unlink" }).click();
    await expect(panel.getByText("This is your only way to sign in")).toBeVisible();
    await expect(panel.getByTestId("sso-identity")).toHaveCount(1);
  });

  test("an email that already has an account is not joined: the page says to sign in with the password and link", async ({
    page,
    request,
  }) => {
    const login = `clash-${stamp()}`;
    const email = `${login}@${E2E_OIDC.emailDomain}`;
    await mutate<AuthAnswer>(request, "auth.signup", { email, password: PASSWORD, name: "Clash Owner" });

    await page.goto("/login");
    await page.getByRole("link", { name: `Sign in with ${E2E_OIDC.name}` }).click();
    await signInAtProvider(page, login);
    await expect(page).toHaveURL(/\/login\?sso_error=email_in_use/);
    await expect(page.getByTestId("sso-error")).toHaveText(
      `An account with this email already exists. Sign in with your password, then link ${E2E_OIDC.name} from your profile.`,
    );
    await expect(page.getByTestId("user-name")).toHaveCount(0);
  });

  test("a password user links Test ID from the profile, then signs in with it", async ({ page, request }) => {
    const email = `linker-${stamp()}@gantry.test`;
    const login = `linker-${stamp()}`;
    await mutate<AuthAnswer>(request, "auth.signup", { email, password: PASSWORD, name: "Lin Ker" });
    await signInWithPassword(page, email);
    await expect(page.getByTestId("user-name")).toHaveText("Lin Ker");

    await page.goto("/profile");
    const panel = page.getByTestId("sso-panel");
    await expect(panel.getByText(`No ${E2E_OIDC.name} account is linked.`)).toBeVisible();
    await panel.getByRole("button", { name: `Link ${E2E_OIDC.name}` }).click();
    // A confirmation first: the browser is about to leave for the provider.
    await panel.getByRole("button", { name: `Continue to ${E2E_OIDC.name}` }).click();
    await signInAtProvider(page, login);

    await expect(page).toHaveURL(/\/profile\?sso_linked=1/);
    await expect(page.getByTestId("sso-linked")).toBeVisible();
    await expect(panel.getByTestId("sso-identity")).toContainText(`${login}@${E2E_OIDC.emailDomain}`);

    // Signed out, the provider now signs in to this same account (no new one).
    await page.getByTestId("user-menu").getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.getByRole("link", { name: `Sign in with ${E2E_OIDC.name}` }).click();
    // The provider may remember the person from the link a moment ago; if not, it asks again.
    const provider = page.getByRole("heading", { name: "Test provider" });
    await Promise.race([
      provider.waitFor().then(() => signInAtProvider(page, login)),
      page.getByTestId("user-name").waitFor(),
    ]);
    await expect(page.getByTestId("user-name")).toHaveText("Lin Ker");
    await page.goto("/profile");
    await expect(page.getByTestId("profile-email")).toHaveText(email);

    // Unlinking keeps the password, so it is allowed.
    await panel.getByRole("button", { name: "Unlink" }).click();
    await expect(panel.getByText(`No ${E2E_OIDC.name} account is linked.`)).toBeVisible();
  });
});
