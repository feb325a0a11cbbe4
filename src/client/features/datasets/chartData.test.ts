import { describe, expect, it } from "vitest";
import type { DatasetRow } from "../../../shared/schemas/pipelines";
import { chartSeries, MAX_CHART_POINTS, measurableColumns } from "./chartData";

const rows = (values: Array<Record<string, string | number | null>>): DatasetRow[] =>
  values.map((v, index) => ({ id: String(index + 1), values: v }));

describe("chartSeries", () => {
  it("draws one point per label, in the order the labels first appear", () => {
    const series = chartSeries(
      rows([
        { city: "Lyon", total: 12.5 },
        { city: "Oslo", total: 3 },
      ]),
      "city",
      "total",
    );
    expect(series).toEqual({
      points: [
        { label: "Lyon", value: 12.5 },
        { label: "Oslo", value: 3 },
      ],
      omitted: 0,
      skipped: 0,
    });
  });

  it("adds up rows that share a label and skips empty values, counting them", () => {
    const series = chartSeries(
      rows([
        { city: "Lyon", total: 1 },
        { city: "Lyon", total: 2 },
        { city: null, total: 4 },
        { city: "Oslo", total: null },
      ]),
      "city",
      "total",
    );
    expect(series.points).toEqual([
      { label: "Lyon", value: 3 },
      { label: "(empty)", value: 4 },
    ]);
    expect(series.skipped).toBe(1);
  });

  it("reads integers that arrive as text and stops at the readable number of points", () => {
    const many = rows(Array.from({ length: MAX_CHART_POINTS + 7 }, (_, i) => ({ k: `k${i}`, n: String(i) })));
    const series = chartSeries(many, "k", "n");
    expect(series.points).toHaveLength(MAX_CHART_POINTS);
    expect(series.points[3]).toEqual({ label: "k3", value: 3 });
    expect(series.omitted).toBe(7);
  });
});

describe("measurableColumns", () => {
  it("offers only numeric columns as the measure", () => {
    expect(
      measurableColumns([
        { name: "city", type: "text" },
        { name: "n", type: "integer" },
        { name: "avg", type: "number" },
        { name: "day", type: "date" },
      ]).map((column) => column.name),
    ).toEqual(["n", "avg"]);
  });
});
