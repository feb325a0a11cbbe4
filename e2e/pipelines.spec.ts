import { readFile } from "node:fs/promises";
import { expect, type Page, test } from "./support/fixtures.js";
import { mutate } from "./support/trpc.js";

const CITIES = ["Paris", "Lyon", "Nice", "Lille"] as const;
const ROWS = 200;

interface Sale {
  city: string;
  amount: number;
  date: string;
}

/**
 * 200 sales over four cities, dates in January 2024: small, but every step has work to do.
 * Each city's amounts run higher than the last one's, so every city ends with its own total.
 */
function sales(): Sale[] {
  return Array.from({ length: ROWS }, (_, i) => ({
    city: CITIES[i % CITIES.length] ?? "Paris",
    amount: (i % 23) + 1 + (i % CITIES.length) * 3,
    date: `2024-01-${String((i % 28) + 1).padStart(2, "0")}`,
  }));
}

function salesCsv(): string {
  return `city,amount,date\n${sales()
    .map((sale) => `${sale.city},${sale.amount},${sale.date}`)
    .join("\n")}\n`;
}

/** What the pipeline must give: the sum of amounts over 10, per city. */
function expectedTotals(): Map<string, number> {
  const totals = new Map<string, number>();
  for (const sale of sales()) {
    if (sale.amount > 10) totals.set(sale.city, (totals.get(sale.city) ?? 0) + sale.amount);
  }
  return totals;
}

/**
 * Records, inside the page, each value of `attribute` on the element `testId` from now on, so
 * the test can tell a bar that moved live from a page that showed only the end. A string,
 * because this file is compiled without DOM types.
 */
function recordChanges(key: string, testId: string, attribute: string): string {
  return `
    window[${JSON.stringify(key)}] = [];
    new MutationObserver(() => {
      const seen = window[${JSON.stringify(key)}];
      const value = document.querySelector('[data-testid="${testId}"]')?.getAttribute("${attribute}");
      if (value && seen.at(-1) !== value) seen.push(value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  `;
}

async function recorded(page: Page, key: string): Promise<string[]> {
  const seen: unknown = await page.evaluate(`window[${JSON.stringify(key)}] ?? null`);
  if (!Array.isArray(seen)) throw new Error("The record is gone: the page was reloaded.");
  return seen.filter((value): value is string => typeof value === "string");
}

test.describe("data pipelines", () => {
  test("upload a CSV, build a filter + aggregate pipeline, run it live, open and export the result", async ({
    page,
    signedInAs,
  }) => {
    test.setTimeout(90_000);
    await signedInAs("user", { name: "Pipeline Builder" });
    const totals = expectedTotals();

    // Upload: the bar follows the bytes, then the import, to the end.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Data sets" }).click();
    // A new user's storage, against the default limits.
    await expect(page.getByTestId("storage-usage-text")).toHaveText("0 bytes of 1 GB, 0 of 100 data sets");
    const upload = page.getByRole("form", { name: "Upload a data set" });
    await upload.getByLabel("File", { exact: true }).setInputFiles({
      name: "sales.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(salesCsv(), "utf8"),
    });
    await expect(upload.getByLabel("Name", { exact: true })).toHaveValue("sales");
    await upload.getByLabel("Name", { exact: true }).fill("Sales e2e");
    await page.evaluate(recordChanges("uploadPhases", "upload-progress", "data-phase"));
    await upload.getByRole("button", { name: "Upload" }).click();
    const progress = page.getByTestId("upload-progress");
    await expect(progress).toHaveAttribute("data-phase", "done");
    await expect(page.getByTestId("upload-progress-bar")).toHaveAttribute("value", "100");
    await expect(page.getByTestId("upload-progress-text")).toContainText(`Imported ${ROWS} rows`);
    const phases = await recorded(page, "uploadPhases");
    expect(phases.at(-1)).toBe("done");
    expect(phases.some((phase) => phase === "sending" || phase === "importing")).toBe(true);
    await expect(page.getByTestId("storage-usage-text")).toHaveText(/^[\d.]+ KB of 1 GB, 1 of 100 data sets$/);

    // The list shows it ready; its page shows the inferred columns and pages the rows on the server.
    await expect(page.getByTestId("dataset-row").filter({ hasText: "Sales e2e" })).toHaveAttribute(
      "data-status",
      "ready",
    );
    await page.getByTestId("uploaded-dataset-link").click();
    await expect(page.getByTestId("dataset-name")).toHaveText("Sales e2e");
    await expect(page.getByTestId("dataset-row-count")).toHaveText(String(ROWS));
    await expect(page.getByTestId("dataset-columns")).toContainText("amount integer");
    await expect(page.getByTestId("dataset-columns")).toContainText("date date");
    await expect(page.getByTestId("table-total")).toHaveText(`${ROWS} rows`);
    await page.getByLabel("amount", { exact: true }).fill("> 10");
    const over10 = sales().filter((sale) => sale.amount > 10).length;
    await expect(page.getByTestId("table-total")).toHaveText(`${over10} rows`);

    // Build: filter amount > 10, then group by city and sum the amounts; the preview follows.
    await page.getByRole("link", { name: "New pipeline from this data set" }).click();
    const builder = page.getByRole("form", { name: "Pipeline" });
    await builder.getByLabel("Name", { exact: true }).fill("City totals");
    await builder.getByLabel("Add a step").selectOption({ label: "Filter rows" });
    await builder.getByTestId("add-step").click();
    const filter = builder.getByTestId("step").nth(0);
    await filter.getByLabel("Column", { exact: true }).selectOption({ label: "amount (integer)" });
    await filter.getByLabel("Condition").selectOption({ label: "is greater than" });
    await filter.getByLabel("Value").fill("10");

    await builder.getByLabel("Add a step").selectOption({ label: "Group and aggregate" });
    await builder.getByTestId("add-step").click();
    const aggregate = builder.getByTestId("step").nth(1);
    await aggregate.getByRole("group", { name: "Group by" }).getByLabel("city (text)").check();
    const sum = aggregate.getByRole("group", { name: "Aggregation 1" });
    await sum.getByLabel("Function").selectOption({ label: "sum" });
    await expect(sum.getByLabel("Of column")).toHaveValue("amount");
    await expect(sum.getByLabel("As")).toHaveValue("sum_amount");

    const previewRows = page.getByTestId("preview-row");
    await expect(previewRows).toHaveCount(CITIES.length);
    await expect(previewRows.filter({ hasText: "Paris" })).toContainText(String(totals.get("Paris")));
    await expect(page.getByTestId("step-errors")).toHaveCount(0);

    await builder.getByTestId("save-pipeline").click();
    await expect(page).toHaveURL(/\/pipelines\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("save-state")).toContainText("All changes saved.");
    await expect(page.getByTestId("schedule-retention")).toContainText("A schedule keeps the last 5 outputs");

    // Run: the run shows up at once and follows its progress live to the end, without a reload.
    await page.evaluate(recordChanges("runStatuses", "latest-run", "data-status"));
    await page.getByTestId("run-pipeline").click();
    const run = page.getByTestId("latest-run");
    await expect(run).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
    const statuses = await recorded(page, "runStatuses");
    expect(statuses.at(-1)).toBe("succeeded");
    expect(statuses.some((status) => status === "queued" || status === "running")).toBe(true);
    await expect(run.getByTestId("run-summary")).toContainText(`${ROWS} rows → ${CITIES.length} rows`);
    // The runs list below has it too, finished.
    await expect(page.getByTestId("run-row").getByTestId("run-status")).toHaveAttribute("data-status", "succeeded");

    // The result opens in the data set view, with the sums the steps promise.
    await run.getByTestId("run-result").click();
    await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("table-total")).toHaveText(`${CITIES.length} rows`);
    for (const city of CITIES) {
      // Numbers read in the browser's locale (en-US here): 1022 shows as "1,022".
      await expect(page.getByTestId("dataset-row").filter({ hasText: city })).toContainText(
        (totals.get(city) ?? 0).toLocaleString("en-US"),
      );
    }

    // Export: a CSV with the output's header and rows.
    const download = page.waitForEvent("download");
    await page.getByTestId("export-csv").click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const path = await file.path();
    const csv = (await readFile(path, "utf8")).trim().split(/\r?\n/);
    expect(csv[0]).toBe("city,sum_amount");
    expect(csv).toContain(`Lyon,${totals.get("Lyon")}`);
    expect(csv).toHaveLength(CITIES.length + 1);
  });

  test("join two uploaded CSVs in the builder: preview, run, and open the joined output", async ({
    page,
    signedInAs,
  }) => {
    test.setTimeout(90_000);
    await signedInAs("user", { name: "Join Builder" });
    const ordersCsv =
      "order,city,amount\n101,Paris,10\n102,Lyon,20\n103,Berlin,5\n104,Paris,7\n105,Rome,3\n106,Berlin,1\n";
    const citiesCsv = "city,country\nParis,France\nLyon,France\nBerlin,Germany\n";
    const countries = new Map([
      ["101", "France"],
      ["102", "France"],
      ["103", "Germany"],
      ["104", "France"],
      ["106", "Germany"],
    ]);

    // Two imports through the upload form.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Data sets" }).click();
    const upload = page.getByRole("form", { name: "Upload a data set" });
    for (const [name, csv] of [
      ["Cities e2e", citiesCsv],
      ["Orders e2e", ordersCsv],
    ] as const) {
      await upload.getByLabel("File", { exact: true }).setInputFiles({
        name: "data.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(csv, "utf8"),
      });
      await upload.getByLabel("Name", { exact: true }).fill(name);
      await upload.getByRole("button", { name: "Upload" }).click();
      await expect(page.getByTestId("upload-progress")).toHaveAttribute("data-phase", "done");
      await expect(page.getByTestId("dataset-row").filter({ hasText: name })).toHaveAttribute("data-status", "ready");
    }

    // Build on the orders: join the cities on city; the preview shows each order's country.
    await page.getByTestId("uploaded-dataset-link").click();
    await expect(page.getByTestId("dataset-name")).toHaveText("Orders e2e");
    await page.getByRole("link", { name: "New pipeline from this data set" }).click();
    const builder = page.getByRole("form", { name: "Pipeline" });
    await builder.getByLabel("Name", { exact: true }).fill("Orders by country");
    await builder.getByLabel("Add a step").selectOption({ label: "Join a data set" });
    await builder.getByTestId("add-step").click();
    const joinStep = builder.getByTestId("step").nth(0);
    await joinStep.getByLabel("Data set to join").selectOption({ label: "Cities e2e" });
    await joinStep.getByLabel("Where this column").selectOption({ label: "city (text)" });
    await joinStep.getByLabel("equals its column").selectOption({ label: "city (text)" });

    const previewRows = page.getByTestId("preview-row");
    await expect(previewRows).toHaveCount(countries.size);
    await expect(previewRows.nth(2)).toContainText("Berlin");
    await expect(previewRows.nth(2)).toContainText("Germany");
    await expect(previewRows.filter({ hasText: "Rome" })).toHaveCount(0);
    await expect(page.getByTestId("step-errors")).toHaveCount(0);

    // A left join keeps Rome, with no country.
    await joinStep.getByLabel("Keep").selectOption({ value: "left" });
    await expect(previewRows).toHaveCount(6);
    await joinStep.getByLabel("Keep").selectOption({ value: "inner" });
    await expect(previewRows).toHaveCount(countries.size);

    await builder.getByTestId("save-pipeline").click();
    await expect(page).toHaveURL(/\/pipelines\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("save-state")).toContainText("All changes saved.");

    await page.getByTestId("run-pipeline").click();
    const run = page.getByTestId("latest-run");
    await expect(run).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
    await expect(run.getByTestId("run-summary")).toContainText(`6 rows → ${countries.size} rows`);

    await run.getByTestId("run-result").click();
    await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("dataset-columns")).toContainText("country text");
    await expect(page.getByTestId("table-total")).toHaveText(`${countries.size} rows`);
    for (const [order, country] of countries) {
      const row = page.getByTestId("dataset-row").filter({ has: page.getByRole("cell", { name: order, exact: true }) });
      await expect(row).toContainText(country);
    }
  });

  test("a guest browses data sets and pipelines but changes nothing", async ({
    page,
    request,
    createAccount,
    createDataset,
    signedInAs,
  }) => {
    const owner = await createAccount("user", { name: "Data Owner" });
    const datasetId = await createDataset(owner, { name: "Guest-visible sales", csv: salesCsv() });
    const pipeline = await mutate<{ id: string }>(
      request,
      "pipelines.create",
      {
        name: "Guest-visible totals",
        datasetId,
        steps: [{ type: "filter", column: "amount", operator: "gt", value: "10" }],
      },
      owner.token,
    );
    await signedInAs("guest", { name: "Guest Viewer" });

    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Data sets" }).click();
    await expect(page.getByRole("form", { name: "Upload a data set" })).toHaveCount(0);
    const row = page.getByTestId("dataset-row").filter({ hasText: "Guest-visible sales" });
    await expect(row).toHaveAttribute("data-status", "ready");
    await expect(page.getByTestId("delete-dataset")).toHaveCount(0);

    await row.getByTestId("dataset-link").click();
    await expect(page.getByTestId("table-total")).toHaveText(`${ROWS} rows`);
    await expect(page.getByTestId("export-csv")).toBeVisible();
    await expect(page.getByRole("link", { name: "New pipeline from this data set" })).toHaveCount(0);
    await expect(page.getByTestId("delete-dataset")).toHaveCount(0);

    await nav.getByRole("link", { name: "Pipelines" }).click();
    await expect(page.getByTestId("new-pipeline")).toHaveCount(0);
    await page.getByTestId("pipeline-link").filter({ hasText: "Guest-visible totals" }).click();
    await expect(page).toHaveURL(new RegExp(`/pipelines/${pipeline.id}$`));
    await expect(page.getByTestId("read-only")).toBeVisible();
    // The preview is reading, so it works; saving, running and scheduling are not offered.
    await expect(page.getByTestId("preview-row").first()).toBeVisible();
    await expect(page.getByRole("form", { name: "Pipeline" }).getByLabel("Name", { exact: true })).toBeDisabled();
    await expect(page.getByTestId("save-pipeline")).toHaveCount(0);
    await expect(page.getByTestId("run-pipeline")).toHaveCount(0);
    await expect(page.getByTestId("save-schedule")).toHaveCount(0);

    await page.goto("/pipelines/new");
    await expect(page.getByTestId("not-allowed")).toBeVisible();
  });
});
