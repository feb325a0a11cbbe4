import { readFile } from "node:fs/promises";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { E2E_ADMIN } from "./support/accounts.js";
import { type AuthAnswer, mutate } from "./support/trpc.js";

const PASSWORD = "Granite-willow-8832";
let counter = 0;
const uniqueEmail = (tag: string) => `${tag}-${Date.now()}-${++counter}@gantry.test`;

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password", { exact: true }).fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

/** An account with a settled payment and an imported data set, made over the API. */
async function accountWithData(request: APIRequestContext, name: string) {
  const email = uniqueEmail("leaving");
  const { accessToken: token, user } = await mutate<AuthAnswer>(request, "auth.signup", {
    email,
    password: PASSWORD,
    name,
  });
  const payment = await mutate<{ id: string }>(
    request,
    "payments.create",
    { amount: 4200, currency: "EUR", paymentMethod: "pm_card_visa", idempotencyKey: `leaving-${email}` },
    token,
  );
  const upload = await request.post("/api/datasets?name=leaving-data&format=csv", {
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    data: Buffer.from("city,visits\nOslo,3\nLima,5\n", "utf8"),
  });
  expect(upload.status()).toBe(202);
  const { datasetId } = (await upload.json()) as { datasetId: string };
  return { email, userId: user.id, token, paymentId: payment.id, datasetId };
}

test.describe("leaving", () => {
  test("a user downloads their data, deletes the account with their password, and cannot sign in again", async ({
    page,
    request,
  }) => {
    const account = await accountWithData(request, "Lea Leaving");
    await signIn(page, account.email, PASSWORD);
    await expect(page.getByTestId("user-name")).toHaveText("Lea Leaving");
    await page.goto("/profile");

    const panel = page.getByTestId("leave-panel");
    const downloading = page.waitForEvent("download");
    await panel.getByRole("link", { name: "Download my data" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^gantry-account-.*\.json$/);
    const data = JSON.parse(await readFile((await download.path()) ?? "", "utf8"));
    expect(data.profile).toMatchObject({ email: account.email, name: "Lea Leaving" });
    expect(data.payments.map((p: { id: string }) => p.id)).toEqual([account.paymentId]);
    expect(data.datasets.map((d: { name: string }) => d.name)).toEqual(["leaving-data"]);

    await panel.getByRole("button", { name: "Delete my account…" }).click();
    const confirm = panel.getByRole("form", { name: "Delete account" });
    await confirm.getByLabel("Your password").fill("wrong-password-here");
    await confirm.getByRole("button", { name: "Delete my account for ever" }).click();
    await expect(confirm.getByText("Your password is not correct")).toBeVisible();
    await confirm.getByLabel("Your password").fill(PASSWORD);
    await confirm.getByRole("button", { name: "Delete my account for ever" }).click();
    await expect(page).toHaveURL(/\/goodbye$/);
    await expect(page.getByRole("heading", { name: "Your account has been deleted" })).toBeVisible();
    await expect(page.getByTestId("account-deleted")).toContainText("Every session has ended");
    await expect(page.getByTestId("user-menu").getByRole("link", { name: "Sign in" })).toBeVisible();

    // The API token of the same account ended too, at once.
    const refused = await request.post("/trpc/auth.logoutAll", {
      headers: { authorization: `Bearer ${account.token}` },
      data: {},
    });
    expect(refused.status()).toBe(401);

    await signIn(page, account.email, PASSWORD);
    await expect(page.getByTestId("form-error")).toContainText("Incorrect email or password.");

    // The data set's table is dropped by the background job.
    const admin = await mutate<AuthAnswer>(request, "auth.login", E2E_ADMIN);
    await expect
      .poll(
        async () =>
          (
            await request.get(`/api/datasets/${account.datasetId}/export.csv`, {
              headers: { authorization: `Bearer ${admin.accessToken}` },
            })
          ).status(),
        { timeout: 15_000 },
      )
      .toBe(404);
  });

  test("an administrator downloads a user's data and deletes the account from the users table", async ({
    page,
    request,
  }) => {
    const account = await accountWithData(request, "Otto Other");
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page.getByTestId("user-role")).toHaveText("admin");
    await page.goto("/admin/users");
    await page.getByRole("search", { name: "Filter users" }).getByLabel("Email contains").fill(account.email);
    const row = page.getByTestId("user-row").filter({ hasText: account.email });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("email-verified-state")).toHaveText("Not verified");

    const downloading = page.waitForEvent("download");
    await row.getByRole("link", { name: `Download data of ${account.email}` }).click();
    const data = JSON.parse(await readFile((await (await downloading).path()) ?? "", "utf8"));
    expect(data.profile).toMatchObject({ id: account.userId, email: account.email });

    await row.getByRole("button", { name: `Delete ${account.email}` }).click();
    const confirm = row.getByRole("form", { name: `Delete ${account.email}` });
    await confirm.getByLabel("Your password, to confirm").fill(E2E_ADMIN.password);
    await confirm.getByRole("button", { name: "Delete for ever" }).click();
    // The list is filtered by the old email, which no longer exists.
    await expect(page.getByTestId("user-row").filter({ hasText: account.email })).toHaveCount(0);
    await page.getByRole("search", { name: "Filter users" }).getByLabel("Email contains").fill("deleted-user-");
    await expect(page.getByTestId("user-row").filter({ hasText: "Deleted" }).first()).toBeVisible();
  });
});
