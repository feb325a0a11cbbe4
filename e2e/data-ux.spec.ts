import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { E2E_ADMIN } from "./support/accounts.js";
import { type AuthAnswer, mutate } from "./support/trpc.js";

/**
 * Issue 12, items 3–7, as a person meets them: destructive actions ask first in a dialog that
 * names the action, unsaved pipeline edits are not lost by a click, lists name people and
 * pipelines, numbers read in the browser's locale (en-US in these journeys), a run has its own
 * page with a chart of its output, and a failed import says what to do.
 */

const PASSWORD = "Quarry-lantern-4418";
let counter = 0;

async function signUpUser(request: APIRequestContext, name: string): Promise<AuthAnswer> {
  counter += 1;
  return mutate<AuthAnswer>(request, "auth.signup", {
    email: `data-ux-${Date.now()}-${counter}@gantry.test`,
    password: PASSWORD,
    name,
  });
}

async function query<T>(request: APIRequestContext, path: string, input: unknown, token: string): Promise<T> {
  const response = await request.get(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { result?: { data?: { json?: T } } };
  if (!response.ok() || body.result?.data?.json === undefined) throw new Error(`${path} failed (${response.status()})`);
  return body.result.data.json;
}

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password", { exact: true }).fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-menu").getByTestId("user-name")).toBeVisible();
}

/** A float column with binary noise and an integer column past a thousand. */
const MEASURES_CSV = "city,amount,visits\nLyon,5.737499999999999,1234567\nOslo,2.5,3\nLyon,1.25,10\n";

async function uploadMeasures(request: APIRequestContext, token: string, name: string): Promise<string> {
  const response = await request.post(`/api/datasets?name=${encodeURIComponent(name)}&format=csv`, {
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    data: Buffer.from(MEASURES_CSV, "utf8"),
  });
  expect(response.status()).toBe(202);
  const { datasetId } = (await response.json()) as { datasetId: string };
  await expect
    .poll(
      async () =>
        (await query<{ status: string }>(request, "pipelines.datasets.byId", { id: datasetId }, token)).status,
    )
    .toBe("ready");
  return datasetId;
}

test.describe("data, made readable and safe", () => {
  test("numbers by locale, undoable step removal, the unsaved-edits guard, names in lists, a run's page and its chart", async ({
    page,
    request,
  }) => {
    test.setTimeout(90_000);
    const user = await signUpUser(request, "Numbers Person");
    const datasetId = await uploadMeasures(request, user.accessToken, "Measures");
    const pipeline = await mutate<{ id: string }>(
      request,
      "pipelines.create",
      { name: "Monthly measures", datasetId, steps: [] },
      user.accessToken,
    );
    await signIn(page, user.user.email);

    // Numbers: the float noise reads as the number meant, integers are grouped, both right-aligned.
    await page.goto(`/pipelines/${pipeline.id}`);
    const lyon = page.getByTestId("preview-row").first();
    await expect(lyon).toContainText("5.7375");
    await expect(lyon).not.toContainText("5.737499999999999");
    await expect(lyon).toContainText("1,234,567");
    const amountCell = lyon.locator("td").nth(1);
    await expect(amountCell).toHaveCSS("text-align", /right|end/);
    // The exact value is still there, in the cell's title.
    await expect(lyon.locator('[title="5.737499999999999"]')).toHaveCount(1);

    // Removing a step is instant and undoable.
    const builder = page.getByRole("form", { name: "Pipeline" });
    await builder.getByLabel("Add a step").selectOption({ label: "Limit rows" });
    await builder.getByTestId("add-step").click();
    await expect(builder.getByTestId("step")).toHaveCount(1);
    await builder.getByRole("button", { name: "Remove step 1" }).click();
    await expect(builder.getByTestId("step")).toHaveCount(0);
    await expect(page.getByTestId("step-removed")).toContainText("Step 1 (");
    await page.getByTestId("undo-remove").click();
    await expect(builder.getByTestId("step")).toHaveCount(1);

    // Unsaved edits: leaving asks first; Escape stays with the edits, confirming leaves.
    await builder.getByLabel("Name", { exact: true }).fill("Monthly measures, edited");
    await page.getByRole("link", { name: "← Pipelines" }).click();
    const leave = page.getByTestId("confirm-dialog");
    await expect(leave).toBeVisible();
    await expect(leave.getByRole("heading")).toHaveText("Leave without saving?");
    // Modal: the focus is inside the dialog, on the safe choice.
    await expect(leave.getByRole("button", { name: "Stay and keep editing" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(leave).toHaveCount(0);
    await expect(page).toHaveURL(new RegExp(`/pipelines/${pipeline.id}$`));
    await expect(builder.getByLabel("Name", { exact: true })).toHaveValue("Monthly measures, edited");
    await page.getByRole("link", { name: "← Pipelines" }).click();
    await page.getByTestId("confirm-dialog").getByRole("button", { name: "Leave without saving" }).click();
    await expect(page).toHaveURL(/\/pipelines$/);

    // The pipelines list says each pipeline's last run.
    const listed = page.getByTestId("pipeline-link").filter({ hasText: "Monthly measures" });
    await expect(listed).toHaveCount(1);
    await expect(page.getByText("never run")).toBeVisible();
    const run = await mutate<{ id: string }>(
      request,
      "pipelines.run",
      { pipelineId: pipeline.id, idempotencyKey: `ux-${Date.now()}` },
      user.accessToken,
    );
    await expect
      .poll(
        async () =>
          (await query<{ status: string }>(request, "pipelines.runById", { runId: run.id }, user.accessToken)).status,
        {
          timeout: 30_000,
        },
      )
      .toBe("succeeded");
    await page.reload();
    await expect(page.getByTestId("last-run").getByTestId("run-status")).toHaveAttribute("data-status", "succeeded");

    // The runs list names the pipeline, not a UUID prefix.
    await page.goto("/runs");
    const runRow = page.locator(`[data-testid="run-row"][data-run-id="${run.id}"]`);
    await expect(runRow.getByTestId("run-pipeline-name")).toHaveText("Monthly measures");
    await expect(runRow).not.toContainText(pipeline.id.slice(0, 8));

    // The run's own page: what ran, how long, the rows, and a chart of the output.
    await runRow.getByTestId("run-link").click();
    await expect(page).toHaveURL(new RegExp(`/pipelines/runs/${run.id}$`));
    await expect(page.getByTestId("run-title")).toHaveText("Run of Monthly measures");
    await expect(page.getByTestId("run-rows-in")).toHaveText("3");
    await expect(page.getByTestId("run-rows-out")).toHaveText("3");
    await expect(page.getByTestId("run-duration")).toHaveText(/\d+(\.\d)? (ms|s)$/);
    await expect(page.getByTestId("rerun")).toBeVisible();
    const chart = page.getByTestId("chart");
    await page.getByTestId("chart-panel").getByLabel("Measure").selectOption("amount");
    await page.getByTestId("chart-panel").getByLabel("By").selectOption("city");
    // Lyon's two rows add up: two bars, one per city.
    await expect(chart).toHaveAttribute("data-points", "2");
    await expect(chart.locator(".recharts-bar-rectangle")).toHaveCount(2);
    await page.getByTestId("chart-panel").getByLabel("Kind").selectOption("line");
    await expect(chart.locator(".recharts-line")).toHaveCount(1);
  });

  test("amounts by locale on the Pay button, a confirmed full refund, and payers by name", async ({
    page,
    browser,
    request,
  }) => {
    test.setTimeout(90_000);
    const user = await signUpUser(request, "Paying Person");
    await signIn(page, user.user.email);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Payments" }).click();
    const form = page.getByRole("form", { name: "Pay" });
    await form.getByLabel("Currency").selectOption("USD");
    await form.getByRole("radio", { name: "Visa (succeeds)" }).check();

    // "12,50" in en-US is neither $12.50 nor $1,250: refused, saying what is expected.
    await form.getByLabel("Amount").fill("12,50");
    await expect(form.getByTestId("pay-submit")).toHaveText("Pay");
    await form.getByTestId("pay-submit").click();
    await expect(form.getByTestId("amount-errors")).toHaveText('Enter an amount like 1,234.56 (decimals after ".")');
    await expect(page).toHaveURL(/\/payments$/);
    // "1,000" is a thousand, as en-US writes it; the button says what will be charged.
    await form.getByLabel("Amount").fill("1,000");
    await expect(form.getByTestId("pay-submit")).toHaveText("Pay $1,000.00");
    await form.getByLabel("Amount").fill("12.50");
    await expect(form.getByTestId("pay-submit")).toHaveText("Pay $12.50");
    await form.getByTestId("pay-submit").click();
    await expect(page).toHaveURL(/\/payments\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("payment-status")).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });

    // The administrator sees the payer by name in the payments list and the ledger.
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    try {
      await signIn(admin, E2E_ADMIN.email, E2E_ADMIN.password);
      await admin.goto("/payments");
      const payer = admin.getByTestId("person").filter({ hasText: user.user.email }).first();
      await expect(payer).toContainText("Paying Person");
      await expect(payer.getByTestId("copy-id")).toHaveAttribute("title", user.user.id);
      await admin.goto("/admin/ledger");
      await expect(admin.getByTestId("ledger-payment").filter({ hasText: "Paying Person" }).first()).toBeVisible();

      // A full refund asks first; Escape changes nothing, the named button refunds.
      await admin.goto(page.url().replace(/^https?:\/\/[^/]+/, ""));
      const refund = admin.getByRole("form", { name: "Refund" });
      await refund.getByRole("button", { name: "Refund" }).click();
      const dialog = admin.getByTestId("confirm-dialog");
      await expect(dialog.getByRole("heading")).toHaveText("Refund the whole $12.50?");
      await admin.keyboard.press("Escape");
      await expect(dialog).toHaveCount(0);
      await expect(admin.getByTestId("payment-status")).toHaveAttribute("data-status", "succeeded");
      await expect(admin.getByTestId("refund-row")).toHaveCount(0);
      await refund.getByRole("button", { name: "Refund" }).click();
      await admin.getByTestId("confirm-dialog").getByRole("button", { name: "Refund $12.50" }).click();
      await expect(admin.getByTestId("payment-status")).toHaveAttribute("data-status", "refunded");

      // The audit log names who acted.
      await admin.goto("/admin/audit");
      await expect(admin.getByTestId("person").filter({ hasText: "Paying Person" }).first()).toBeVisible();
    } finally {
      await adminContext.close();
    }
  });

  test("a failed import says what happened, what to do, and offers Skip invalid rows", async ({ page, request }) => {
    const user = await signUpUser(request, "Importing Person");
    await signIn(page, user.user.email);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Data sets" }).click();
    const upload = page.getByRole("form", { name: "Upload a data set" });
    await upload.getByLabel("File", { exact: true }).setInputFiles({
      name: "ragged.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("city,amount\nLyon,1\nOslo,2,3\nNice,4\n", "utf8"),
    });
    await upload.getByRole("button", { name: "Upload" }).click();
    const failure = page.getByTestId("upload-error");
    await expect(failure).toContainText("The data set was not imported");
    await expect(failure.getByTestId("import-failure-reason")).toContainText("Line 3");
    await expect(failure.getByTestId("import-failure-advice")).toContainText("different number of values");
    await expect(failure.getByTestId("import-skip-suggestion")).toContainText("Skip invalid rows");
  });
});
