import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/app.js";
import { importData } from "../../testing/pipelines.js";

/** Rows come back in file order by default, and ties in a sort keep file order: numerically, past row 9. */
describe("row order", () => {
  let app: TestApp;
  let token: string;
  let datasetId: string;

  beforeAll(async () => {
    app = await createTestApp("embedded");
    token = (await app.signup()).token;
    const lines = Array.from({ length: 12 }, (_, i) => `${i + 1},${i % 2 === 0 ? "even" : "odd"}`);
    datasetId = (await importData(app, token, `n,parity\n${lines.join("\n")}\n`, { name: "ordered" })).dataset.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("lists rows in file order", async () => {
    const page = await app.caller({ token }).pipelines.datasets.rows({ datasetId, page: 1, pageSize: 50 });
    expect(page.items.map((row) => row.values.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("breaks sort ties by file order", async () => {
    const page = await app.caller({ token }).pipelines.datasets.rows({
      datasetId,
      page: 1,
      pageSize: 50,
      sort: { field: "parity", direction: "asc" },
    });
    expect(page.items.map((row) => row.values.n)).toEqual([1, 3, 5, 7, 9, 11, 2, 4, 6, 8, 10, 12]);
  });
});
