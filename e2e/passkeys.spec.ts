import { type CDPSession, expect, type Page, test } from "@playwright/test";

/**
 * Passkeys in Chromium with its virtual authenticator (DevTools protocol `WebAuthn`): a platform
 * authenticator with resident keys and user verification, as a phone or laptop would have.
 *
 * WebAuthn needs a secure context and an RP ID that is a domain: http://localhost is both, an IP
 * address like 127.0.0.1 is neither an RP ID nor the test server's default PUBLIC_URL. So this
 * journey runs at http://localhost:<port>, the origin the server's defaults allow.
 */
const port = Number(process.env.E2E_PORT ?? 3310);
test.use({ baseURL: `http://localhost:${port}` });

const PASSWORD = "Silver-meadow-4417";

async function addVirtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

test("add a passkey on the profile, rename it, sign in with it and no password, remove it", async ({ page }) => {
  // One journey through two sign-ins, two sign-outs and three ceremonies: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
  const email = `passkey-${Date.now()}@gantry.test`;

  await page.goto("/signup");
  const signup = page.getByRole("form", { name: "Sign up" });
  await signup.getByLabel("Name").fill("Grace Hopper");
  await signup.getByLabel("Email").fill(email);
  await signup.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await signup.getByRole("button", { name: "Create account" }).click();
  const menu = page.getByTestId("user-menu");
  await expect(menu.getByTestId("user-name")).toHaveText("Grace Hopper");

  // Add one from the profile: the browser asks the (virtual) device, which makes a resident key.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile" }).click();
  const panel = page.getByTestId("passkeys-panel");
  await expect(panel.getByTestId("no-passkeys")).toBeVisible();
  const add = panel.getByRole("form", { name: "Add a passkey" });
  await add.getByLabel("Name of the new passkey").fill("Work laptop");
  await add.getByRole("button", { name: "Add a passkey" }).click();
  await expect(panel.getByTestId("passkey-added")).toBeVisible();
  await expect(panel.getByTestId("passkey-name")).toHaveText(["Work laptop"]);
  await expect(panel.getByTestId("passkey")).toContainText("not used yet");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]?.isResidentCredential).toBe(true);
  expect(credentials[0]?.rpId).toBe("localhost");

  // Rename it.
  await panel.getByRole("button", { name: "Rename Work laptop" }).click();
  const rename = panel.getByRole("form", { name: "Rename Work laptop" });
  await rename.getByLabel("New name").fill("Travel laptop");
  await rename.getByRole("button", { name: "Save name" }).click();
  await expect(panel.getByTestId("passkey-name")).toHaveText(["Travel laptop"]);

  // Sign out, then sign in with the passkey alone: no email, no password.
  await menu.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(menu.getByTestId("user-name")).toHaveText("Grace Hopper");
  const [used] = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  expect(used?.signCount).toBeGreaterThan(credentials[0]?.signCount ?? 0);

  // The session is a normal one: the profile loads, and shows the passkey as used.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile" }).click();
  await expect(panel.getByTestId("passkey")).toContainText("last used");
  await expect(page.getByTestId("profile-email")).toHaveText(email);

  // Remove it (the account still has its password); it signs in no more.
  await panel.getByRole("button", { name: "Remove Travel laptop" }).click();
  await panel.getByRole("button", { name: "Remove for good" }).click();
  await expect(panel.getByTestId("no-passkeys")).toBeVisible();
  await menu.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByTestId("passkey-sign-in-error")).toHaveText(/not registered here/);
  await expect(menu.getByTestId("user-name")).toHaveCount(0);
});
